using Text2Lora.Hypernetworks;
using Text2Lora.IO.Safetensors;
using Xunit;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// Every fixture variant: load the reference checkpoint (hypermod.pt + args.yaml + adapter_config.json), generate
/// from the fixture's task embedding and compare with the reference's generated LoRA and intermediates.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public class ReferenceParityTests
{
    [Theory]
    [MemberData(nameof(T2LFixtures.VariantData), MemberType = typeof(T2LFixtures))]
    public void Generated_adapter_matches_the_reference_lora(string variant)
    {
        using var hypernetwork = T2LFixtures.Load(variant);
        using var embedding = T2LFixtures.TaskEmbedding(variant);
        var expected = T2LFixtures.GeneratedLora(variant);
        try
        {
            var adapters = hypernetwork.Generate(embedding);
            using var adapter = Assert.Single(adapters);

            // Same module set as the reference wrote (2 layers × q/v), keys mapped to PEFT's naming.
            var expectedModules = expected.Keys.Select(k => k["base_model.model.".Length..k.IndexOf(".lora_", StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(expectedModules, adapter.Modules.Keys.Order(StringComparer.Ordinal));
            foreach (var (path, weights) in adapter.Modules)
            {
                var a = expected[$"base_model.model.{path}.lora_A.weight"];
                var b = expected[$"base_model.model.{path}.lora_B.weight"];
                Assert.Equal(a.shape, weights.A.shape);
                Assert.Equal(b.shape, weights.B.shape);
                Assert.True(T2LFixtures.MaxAbsDiff(weights.A, a) <= T2LFixtures.Tolerance, $"{path} A differs by {T2LFixtures.MaxAbsDiff(weights.A, a)}");
                Assert.True(T2LFixtures.MaxAbsDiff(weights.B, b) <= T2LFixtures.Tolerance, $"{path} B differs by {T2LFixtures.MaxAbsDiff(weights.B, b)}");

                // rsLoRA: alpha / sqrt(r) = 8 / 2 (fixture README), not alpha / r = 2.
                Assert.Equal(4.0, weights.Scaling, 12);
            }
        }
        finally
        {
            foreach (var tensor in expected.Values)
            {
                tensor.Dispose();
            }
        }
    }

    [Theory]
    [MemberData(nameof(T2LFixtures.VariantData), MemberType = typeof(T2LFixtures))]
    public void Every_reference_intermediate_matches(string variant)
    {
        using var hypernetwork = T2LFixtures.Load(variant);
        using var embedding = T2LFixtures.TaskEmbedding(variant);
        var trace = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (no_grad())
        {
            using var output = hypernetwork.Module.Generate(embedding, (name, value) => trace[name] = value.detach().clone().DetachFromDisposeScope());
        }

        using var expected = SafetensorsFile.Open(Path.Combine(T2LFixtures.Directory(variant), "expected.safetensors"));
        var keys = expected.Keys.Where(k => k.StartsWith("intermediate.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        var mapping = new IntermediateMapping(hypernetwork.Module, trace);
        foreach (var key in keys)
        {
            using var full = expected.ReadTensor(key);
            var (actual, reference) = mapping.Find(key["intermediate.".Length..], full);
            Assert.Equal(reference.shape, actual.shape);
            var diff = T2LFixtures.MaxAbsDiff(actual, reference);
            Assert.True(diff <= T2LFixtures.Tolerance, $"{variant} {key} differs by {diff}");
            actual.Dispose();
            reference.Dispose();
        }

        using var encoded = expected.ReadTensor("encoded_task_emb");
        Assert.True(T2LFixtures.MaxAbsDiff(trace["task_encoder"], encoded) <= T2LFixtures.Tolerance);
        foreach (var tensor in trace.Values)
        {
            tensor.Dispose();
        }
    }

    /// <summary>
    /// Maps the reference's hook names (<c>&lt;submodule&gt;.&lt;call index&gt;</c>, calls per target module in layer-type
    /// order, A before B) onto the batched trace ([N, M, (2,) L, ...]).
    /// </summary>
    private sealed class IntermediateMapping(HyperModulator module, Dictionary<string, Tensor> trace)
    {
        private readonly HypernetworkArchitectureView _arch = new(module.Architecture.SharedABHead, module.Architecture.AutoregressiveGeneration);

        public (Tensor Actual, Tensor Reference) Find(string name, Tensor reference)
        {
            var dot = name.LastIndexOf('.');
            var submodule = name[..dot];
            var call = int.Parse(name[(dot + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            switch (submodule)
            {
                case "task_encoder":
                    return (trace["task_encoder"].alias(), reference.alias());
                case "layer_depth_encoder":
                    return (trace["layer_depth_encoder"].alias(), reference.alias());
                case "layer_type_encoder":
                    return (trace["layer_type_encoder"].narrow(0, call, 1), reference.alias());
                case "mixer" or "mlp1":
                    return (trace[submodule][0, call], reference.alias());
                case "out_emb_norm":
                    return (trace["out_emb_norm"][call / 2, call % 2], reference.alias());
                case "mlp2" when !_arch.Shared:
                case "mlp3" when !_arch.Shared:
                    return (trace[submodule][0, call], reference.alias());
                case "mlp2" when _arch.Autoreg:
                    // Shared + rotary: two mlp2 calls per (module, A/B): on h + LN(out_emb), then on the rotated rank slots.
                    var pair = call / 2;
                    return (trace[call % 2 == 0 ? "mlp2" : "mlp2.ranks"][0, pair / 2, pair % 2], reference.alias());
                case "mlp2" or "mlp3":
                    return (trace[submodule][0, call / 2, call % 2], reference.alias());
                default:
                    var moduleName = submodule["heads.".Length..];
                    if (!_arch.Shared)
                    {
                        return (trace[$"heads.{moduleName}"][0], reference.alias());
                    }

                    // The reference computes all max(in, out) features per rank slot and slices; we compute only the kept
                    // ones, so compare against the reference's kept slice. Ours: [L, r, kept]; reference [L, r·max] or [L, r, max].
                    var ours = trace[$"heads.{moduleName}.{(call == 0 ? "A" : "B")}"][0];
                    var (layers, rank, kept) = (ours.shape[0], ours.shape[1], ours.shape[2]);
                    return (ours.alias(), reference.view(layers, rank, -1).narrow(-1, 0, kept));
            }
        }
    }

    private sealed record HypernetworkArchitectureView(bool Shared, bool Autoreg);
}
