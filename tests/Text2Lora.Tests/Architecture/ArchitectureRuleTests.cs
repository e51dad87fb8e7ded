// Several sample namespaces (layers) must live in this one file, so its namespaces are block-scoped.
#pragma warning disable IDE0161
using Text2Lora.Tests.Architecture.Samples.Lower;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Architecture
{
    /// <summary>The checkers of <see cref="ArchitectureTests"/> fail on violations: synthetic graphs and sample types in this assembly.</summary>
    [Trait(TestCategory.Key, TestCategory.Architecture)]
    public sealed class ArchitectureRuleTests
    {
        private static readonly LayerRule SampleLayers = new(
        [
            ["Text2Lora.Tests.Architecture.Samples.Lower", "Text2Lora.Tests.Architecture.Samples.Lambda"],
            ["Text2Lora.Tests.Architecture.Samples.Upper"],
        ]);

        [Fact]
        public void Evaluation_referencing_Training_is_reported()
        {
            var references = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["Text2Lora.Evaluation"] = ["Text2Lora", "Text2Lora.Tasks", "Text2Lora.Training"],
                ["Text2Lora.Training"] = ["Text2Lora", "Text2Lora.Tasks"],
            };

            var violations = new AssemblyRule(ArchitectureTests.AssemblyTable).Violations(references);

            Assert.Equal(["Text2Lora.Evaluation references Text2Lora.Training"], violations);
        }

        [Fact]
        public void Core_referencing_any_project_assembly_and_an_unplaced_assembly_are_reported()
        {
            var references = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["Text2Lora"] = ["Text2Lora.Serving"],
                ["Text2Lora.Extra"] = ["Text2Lora"],
                ["t2l"] = ["Text2Lora", "Text2Lora.Training", "Text2Lora.Evaluation"],
            };

            var violations = new AssemblyRule(ArchitectureTests.AssemblyTable).Violations(references);

            Assert.Equal(["Text2Lora references Text2Lora.Serving", "Text2Lora.Extra is not placed in the assembly table"], violations);
        }

        [Fact]
        public void Upward_reference_is_reported()
        {
            var graph = NamespaceGraph.FromEdges([("Text2Lora.IO", "Text2Lora.Lora")]);

            var violations = new LayerRule(ArchitectureTests.CoreLayers).Violations(graph);

            Assert.Equal(["Text2Lora.IO (layer 1) references Text2Lora.Lora (layer 2)"], violations);
        }

        [Fact]
        public void Downward_and_same_layer_references_pass()
        {
            var graph = NamespaceGraph.FromEdges(
            [
                ("Text2Lora.LoraGeneration", "Text2Lora.Hypernetworks"),
                ("Text2Lora.Hypernetworks.Checkpoints", "Text2Lora.Hypernetworks"),
                ("Text2Lora.IO.Peft", "Text2Lora.Lora"),
            ]);

            Assert.Empty(new LayerRule(ArchitectureTests.CoreLayers).Violations(graph));
        }

        [Fact]
        public void Namespace_outside_every_layer_is_reported()
        {
            var graph = NamespaceGraph.FromEdges([], isolated: ["Text2Lora.Generation"]);

            Assert.Equal(["Text2Lora.Generation belongs to no layer"], new LayerRule(ArchitectureTests.CoreLayers).Violations(graph));
        }

        [Fact]
        public void Longest_prefix_decides_the_layer()
        {
            var rule = new LayerRule(ArchitectureTests.CoreLayers);

            Assert.Equal(1, rule.LayerOf("Text2Lora.IO.Safetensors"));
            Assert.Equal(3, rule.LayerOf("Text2Lora.IO.Peft"));
            Assert.Equal(-1, rule.LayerOf("Text2Lora.IOX"));
        }

        [Fact]
        public void Cycle_is_reported_with_its_members_and_a_chain_is_not()
        {
            var graph = NamespaceGraph.FromEdges(
            [
                ("A", "B"), ("B", "C"), ("C", "A"),
                ("C", "D"), ("D", "E"),
            ]);

            var cycles = NamespaceCycles.Find(graph);

            Assert.Equal(["A", "B", "C"], Assert.Single(cycles));
        }

        [Fact]
        public void Reference_made_only_inside_a_method_body_is_read_from_il()
        {
            var graph = NamespaceGraph.Read(typeof(ArchitectureRuleTests).Assembly.Location);

            Assert.Contains("Text2Lora.Tests.Architecture.Samples.Upper", graph.DependenciesOf("Text2Lora.Tests.Architecture.Samples.Lower"));
            var violations = SampleLayers.Violations(graph).Where(v => v.StartsWith("Text2Lora.Tests.Architecture.Samples", StringComparison.Ordinal));
            Assert.Equal(
                [
                    "Text2Lora.Tests.Architecture.Samples.Lambda (layer 0) references Text2Lora.Tests.Architecture.Samples.Upper (layer 1)",
                    "Text2Lora.Tests.Architecture.Samples.Lower (layer 0) references Text2Lora.Tests.Architecture.Samples.Upper (layer 1)",
                ],
                violations);
            Assert.Equal(3, LowerSample.Answer());
        }

        [Fact]
        public void Reference_from_a_lambda_counts_for_the_declaring_namespace()
        {
            var graph = NamespaceGraph.Read(typeof(ArchitectureRuleTests).Assembly.Location);

            Assert.Contains("Text2Lora.Tests.Architecture.Samples.Upper", graph.DependenciesOf("Text2Lora.Tests.Architecture.Samples.Lambda"));
            Assert.Equal(3, Samples.Lambda.LambdaSample.Answer());
        }
    }
}

namespace Text2Lora.Tests.Architecture.Samples.Upper
{
    /// <summary>A type of a higher sample layer.</summary>
    internal static class UpperSample
    {
        public static int Three() => 3;
    }
}

namespace Text2Lora.Tests.Architecture.Samples.Lower
{
    /// <summary>Names <see cref="Upper.UpperSample"/> only in its method body: an upward reference the checker must see.</summary>
    internal static class LowerSample
    {
        public static int Answer() => Upper.UpperSample.Three();
    }
}

namespace Text2Lora.Tests.Architecture.Samples.Lambda
{
    /// <summary>Names <see cref="Upper.UpperSample"/> only inside a lambda (a compiler-generated closure type).</summary>
    internal static class LambdaSample
    {
        public static int Answer()
        {
            Func<int> f = () => Upper.UpperSample.Three();
            return f();
        }
    }
}
