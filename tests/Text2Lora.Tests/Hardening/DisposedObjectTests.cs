using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.LoraGeneration;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using Text2Lora.TextGeneration;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Calls on a disposed model, encoder, hypernetwork or generator throw <see cref="ObjectDisposedException"/> (issue 14:
/// "Tensor invalid -- empty handle" or a native crash); a second Dispose is harmless; disposing from inside one of the
/// object's own calls is refused instead of waiting for itself. Concurrent dispose-during-use runs in a child process:
/// <c>tests/Text2Lora.FuzzTests/DisposeDuringUseTests</c>.
/// </summary>
public sealed class DisposedObjectTests
{
    public DisposedObjectTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void A_disposed_base_model_throws_ObjectDisposedException()
    {
        var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        using var adapter = TestAdapters.RandomQv(model.LoraTargets);
        model.Dispose();
        model.Dispose();

        using var ids = tensor(new long[] { 1, 403 }).unsqueeze(0);
        Assert.Throws<ObjectDisposedException>(() => model.Forward(new ModelForwardInput(ids)));
        Assert.Throws<ObjectDisposedException>(() => model.Generate([[1, 403]]));
        Assert.Throws<ObjectDisposedException>(() => model.PrepareAdapter(adapter));
        Assert.Throws<ObjectDisposedException>(() => model.MergeAdapter(adapter));
    }

    [Fact]
    public void Disposing_a_model_from_inside_its_own_generation_is_refused()
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var options = new GenerationOptions { MaxNewTokens = 4, StopWhen = (_, _) => { model.Dispose(); return false; } };

        Assert.Throws<InvalidOperationException>(() => model.Generate([[1, 403]], options));
        using var result = model.Generate([[1, 403]], new GenerationOptions { MaxNewTokens = 4 }); // still usable
        Assert.Equal(4, result.Sequences[0].TokenIds.Count);
    }

    [Fact]
    public void Disposed_encoders_hypernetwork_and_generator_throw_ObjectDisposedException()
    {
        var miniLm = new MiniLmTaskEncoder();
        miniLm.Dispose();
        Assert.Throws<ObjectDisposedException>(() => miniLm.Encode(["Answer questions."]));

        var gte = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        gte.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gte.Encode(["Answer questions."]));

        var hypernetwork = MiniLmHypernetworks.CreateM();
        var generator = new LoraGenerator(SharedMiniLm.Instance, hypernetwork);
        hypernetwork.Dispose();
        Assert.Throws<ObjectDisposedException>(() => generator.FromDescription("Answer questions."));

        using var other = new LinearFakeHypernetwork(384);
        var second = new LoraGenerator(SharedMiniLm.Instance, other);
        second.Dispose();
        Assert.Throws<ObjectDisposedException>(() => second.FromDescription("Answer questions."));
        using var embedding = zeros(1, 384);
        Assert.Throws<ObjectDisposedException>(() => second.FromTaskEmbeddings(embedding));
    }

    [Fact]
    public void A_base_model_encoder_over_a_disposed_model_throws_ObjectDisposedException()
    {
        var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var encoder = new BaseModelTaskEncoder(model, TokenizerLoader.Load(Stories260k.ModelDirectory));
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(["Answer questions."]));
    }
}
