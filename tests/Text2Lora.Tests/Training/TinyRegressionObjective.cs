using Text2Lora.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Training;

/// <summary>
/// A real (tiny) learning problem for exercising the loop: a 2-layer MLP with dropout learns y = sin(3x₀) + x₁²
/// from minibatches sampled with the run's random source. Dropout draws from the global torch generator, so
/// exact resume needs both generators restored.
/// </summary>
internal sealed class TinyRegressionObjective : ITrainingObjective, IDisposable
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly Tensor _valInputs;
    private readonly Tensor _valTargets;
    private readonly Func<int, double>? _validationOverride;
    private int _validations;

    public TinyRegressionObjective(long seed = 1, Func<int, double>? validationOverride = null)
    {
        torch.manual_seed(seed);
        Model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Dropout(0.1), nn.Linear(32, 1));
        var generator = new Generator(seed: 123);
        _inputs = rand(new long[] { 256, 2 }, generator: generator) * 2 - 1;
        _targets = Target(_inputs);
        _valInputs = rand(new long[] { 64, 2 }, generator: generator) * 2 - 1;
        _valTargets = Target(_valInputs);
        _validationOverride = validationOverride;
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public nn.Module TrainableModule => Model;

    public List<string> SavedArtifacts { get; } = [];

    public Tensor ComputeLoss(TrainingStepContext context)
    {
        var indices = context.Random.Sample(256, 16).Select(i => (long)i).ToArray();
        using var index = tensor(indices);
        var x = _inputs.index_select(0, index);
        var y = _targets.index_select(0, index);
        return nn.functional.mse_loss(Model.forward(x), y);
    }

    public double? ComputeValidationLoss(CancellationToken cancellationToken)
    {
        if (_validationOverride is not null)
        {
            return _validationOverride(_validations++);
        }

        using var loss = nn.functional.mse_loss(Model.forward(_valInputs), _valTargets);
        return loss.item<float>();
    }

    public void SaveArtifact(string directory)
    {
        Directory.CreateDirectory(directory);
        Text2Lora.IO.Safetensors.SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), Model.state_dict());
        SavedArtifacts.Add(directory);
    }

    public void Dispose()
    {
        Model.Dispose();
        _inputs.Dispose();
        _targets.Dispose();
        _valInputs.Dispose();
        _valTargets.Dispose();
    }

    private static Tensor Target(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x[.., 0..1].mul(3).sin() + x[.., 1..2].pow(2)).MoveToOuterDisposeScope();
    }
}
