using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>The reference <c>TaskEncoder</c> (<c>encoder_type: linear</c>): <c>LayerNorm(Linear(task_emb))</c>, latent/2 wide.</summary>
internal sealed class TaskEmbeddingProjection : Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    public TaskEmbeddingProjection(int taskEmbeddingSize, int encodedSize)
        : base(nameof(TaskEmbeddingProjection))
    {
        mlp = Sequential(Linear(taskEmbeddingSize, encodedSize), LayerNorm(encodedSize));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => mlp.forward(input);
}
