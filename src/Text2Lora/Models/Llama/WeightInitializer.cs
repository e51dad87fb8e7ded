using Text2Lora.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// Hugging Face's initialisation of a freshly created Llama-family model (<c>_init_weights</c> of transformers 4.46):
/// linear and embedding weights from normal(0, <c>initializer_range</c>), biases zero, the padding token's embedding
/// row zero, RMSNorm weights one (zero for Gemma, whose norms multiply by <c>1 + w</c>). Draws come from one generator
/// seeded with the given seed, in module order, so a seed always gives the same weights.
/// </summary>
internal static class WeightInitializer
{
    public static void Initialize(nn.Module module, LlamaFamilyConfig config, long seed, double initializerRange)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initializerRange);
        using var noGrad = no_grad();
        // The generator lives where the weights do: a draw into a CUDA tensor needs a CUDA generator.
        var device = module.parameters().FirstOrDefault()?.device ?? CPU;
        using var generator = new Generator(unchecked((ulong)seed), device);
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case LoraLinear linear:
                    foreach (var (name, parameter) in linear.named_parameters(recurse: false))
                    {
                        if (name == "weight")
                        {
                            parameter.normal_(0, initializerRange, generator);
                        }
                        else
                        {
                            parameter.zero_();
                        }
                    }

                    break;
                case TokenEmbedding embedding:
                    embedding.Weight.normal_(0, initializerRange, generator);
                    if (config.PadTokenId is { } pad && pad >= 0 && pad < config.VocabSize)
                    {
                        using var row = embedding.Weight[pad];
                        row.zero_();
                    }

                    break;
                case RmsNorm norm:
                    foreach (var (_, parameter) in norm.named_parameters(recurse: false))
                    {
                        parameter.fill_(config.NormWeightPlusOne ? 0.0 : 1.0);
                    }

                    break;
            }
        }
    }
}
