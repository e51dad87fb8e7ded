using Xunit;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>N task embeddings in one pass, and the differentiable path the SFT trainer will use.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public class BatchingAndTrainingPathTests
{
    [Theory]
    [MemberData(nameof(T2LFixtures.VariantData), MemberType = typeof(T2LFixtures))]
    public void A_batch_of_descriptions_gives_each_the_adapter_it_gets_alone(string variant)
    {
        using var hypernetwork = T2LFixtures.Load(variant);
        using var fixture = T2LFixtures.TaskEmbedding(variant);
        manual_seed(7);
        using var other = randn(1, 64).mul(8);
        using var batch = cat([other, fixture, other.neg()], dim: 0);

        var batched = hypernetwork.Generate(batch);
        Assert.Equal(3, batched.Count);
        var alone = hypernetwork.Generate(fixture);
        try
        {
            foreach (var (path, weights) in alone[0].Modules)
            {
                // Same math, different GEMM blocking: agreement to float32 rounding (values O(1)).
                Assert.True(T2LFixtures.MaxAbsDiff(batched[1].Modules[path].A, weights.A) <= 1e-5, path);
                Assert.True(T2LFixtures.MaxAbsDiff(batched[1].Modules[path].B, weights.B) <= 1e-5, path);
            }

            // The other rows are different tasks, so their adapters must differ from the fixture's.
            var somePath = alone[0].Modules.Keys.First();
            Assert.True(T2LFixtures.MaxAbsDiff(batched[0].Modules[somePath].A, alone[0].Modules[somePath].A) > 1e-3);
        }
        finally
        {
            foreach (var adapter in batched.Concat(alone))
            {
                adapter.Dispose();
            }
        }
    }

    [Fact]
    public void Forward_is_differentiable_and_returns_factors_for_all_layers()
    {
        using var hypernetwork = T2LFixtures.Load("M_sft");
        var module = hypernetwork.Module;
        using var embedding = T2LFixtures.TaskEmbedding("M_sft");
        module.train();
        try
        {
            using var output = module.Forward(embedding.expand(2, -1));
            Assert.Equal([2L, 2, 4, 64], output.A("v_proj").shape);
            Assert.Equal([2L, 2, 32, 4], output.B("v_proj").shape);
            using var loss = output.A("q_proj").square().sum().add(output.B("v_proj").square().sum());
            loss.backward();
            var state = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var name in new[] { "heads.q_proj.weight", "heads.v_proj.weight", "task_encoder.mlp.0.weight", "out_emb.q_proj.A", "mixer.1.weight" })
            {
                var grad = state[name].grad;
                Assert.NotNull(grad);
                Assert.True(grad.abs().max().item<float>() > 0, $"{name} got no gradient");
            }

            // Frozen tables stay frozen.
            Assert.Null(state["AB_offset.A.q_proj"].grad);
        }
        finally
        {
            module.eval();
        }
    }

    [Fact]
    public void Parallel_generations_on_one_hypernetwork_equal_sequential_ones()
    {
        using var hypernetwork = T2LFixtures.Load("S_sft");
        manual_seed(11);
        var embeddings = Enumerable.Range(0, 16).Select(_ => randn(1, 64).mul(8)).ToArray();
        var sequential = embeddings.Select(e => hypernetwork.Generate(e)[0]).ToArray();
        var parallel = new Text2Lora.Lora.LoraAdapter[16];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => parallel[i] = hypernetwork.Generate(embeddings[i])[0]);
        try
        {
            for (var i = 0; i < 16; i++)
            {
                foreach (var (path, weights) in sequential[i].Modules)
                {
                    // Same input, same weights, same ops: bit-identical regardless of thread.
                    Assert.True(weights.A.eq(parallel[i].Modules[path].A).all().item<bool>(), $"{i} {path} A");
                    Assert.True(weights.B.eq(parallel[i].Modules[path].B).all().item<bool>(), $"{i} {path} B");
                }
            }
        }
        finally
        {
            foreach (var adapter in sequential.Concat(parallel))
            {
                adapter.Dispose();
            }

            foreach (var embedding in embeddings)
            {
                embedding.Dispose();
            }
        }
    }
}
