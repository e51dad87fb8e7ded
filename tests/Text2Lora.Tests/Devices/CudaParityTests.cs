using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Training.Trainers;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Devices;

/// <summary>
/// The same work on the CPU and on CUDA gives the same numbers (float32; libtorch keeps TF32 off for matmuls by
/// default). Skipped with "CUDA is not available" where there is no CUDA backend or device; run them with
/// <c>dotnet test --filter Category=Cuda</c> after switching the backend package (README, "Devices and precision").
/// Tolerances: the fixtures' parity tolerance (1e-4 absolute on logits), and 1e-4 relative elsewhere: CPU and CUDA
/// kernels sum in different orders, a float32 rounding difference of about 1e-6 relative per reduction.
/// </summary>
[Trait("Category", "Cuda")]
[Collection(nameof(Training.GlobalTorchRngCollection))]
public sealed class CudaParityTests
{
    private static readonly Device Cuda = new(DeviceType.CUDA, 0);

    [CudaFact]
    public void Base_model_logits_on_cuda_match_the_cpu()
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        using var ids = expected.ReadTensor("input_ids");
        using var mask = expected.ReadTensor("attention_mask");
        using var cpu = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var cuda = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"), new ModelLoadOptions { Device = Cuda });
        using var noGrad = no_grad();

        using var onCpu = cpu.Forward(new Abstractions.ModelForwardInput(ids) { AttentionMask = mask });
        using var cudaIds = ids.to(Cuda);
        using var cudaMask = mask.to(Cuda);
        using var onCuda = cuda.Forward(new Abstractions.ModelForwardInput(cudaIds) { AttentionMask = cudaMask });

        Assert.Equal(DeviceType.CUDA, onCuda.Logits!.device_type);
        using var back = onCuda.Logits.cpu();
        Models.LlamaFamilyParityTests.AssertValidClose(onCpu.Logits!, back, mask, 1e-4);
    }

    [CudaFact]
    public void Generated_lora_on_cuda_matches_the_cpu()
    {
        var hypernetworkFolder = Path.Combine(TrainerFixtures.RepoRoot, "models", "t2l-tiny-recon");
        var baseModel = Path.Combine(TrainerFixtures.RepoRoot, "models", "t2l-tiny-base");
        using var cpu = new HypernetworkLoader().Load(hypernetworkFolder, baseModel, CPU);
        using var cuda = new HypernetworkLoader().Load(hypernetworkFolder, baseModel, Cuda);
        using var embedding = SharedMiniLm.Instance.Encode(["Answer with the opposite of the given word."]);

        var onCpu = cpu.Generate(embedding)[0];
        var onCuda = cuda.Generate(embedding)[0];
        using (onCpu)
        using (onCuda)
        {
            foreach (var (path, weights) in onCpu.Modules)
            {
                Assert.Equal(DeviceType.CUDA, onCuda.Modules[path].A.device_type);
                AssertRelativeClose(weights.A, onCuda.Modules[path].A);
                AssertRelativeClose(weights.B, onCuda.Modules[path].B);
            }
        }
    }

    [CudaFact]
    public async Task One_sft_step_on_cuda_matches_the_cpu()
    {
        using var work = new TempDirectory();
        async Task<(MetricsRowView Metrics, string Artifact)> Step(string device)
        {
            var options = new SftTrainerOptions
            {
                BaseModel = TrainerFixtures.Stories260k,
                Data = new TaskDataOptions { TasksDirectory = TrainerFixtures.TaskSuite, TrainTasks = ["add_one", "add_two"], ValidationExamplesPerTask = 2 },
                Lora = new LoraAdapterOptions { Rank = 4, TargetModules = ["q_proj", "v_proj"] },
                Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.S, LatentSize = 32, HeadInSize = 32 },
                TasksPerBatch = 2,
                ExamplesPerTask = 2,
                DescriptionsPerTask = 2,
                Loop = TrainerFixtures.Loop(work.File(device.Replace(':', '_')), 1, 1e-3),
            };
            options.Loop.Device = device;
            var result = await new SftTrainer(options, SharedMiniLm.Instance).TrainAsync();
            var row = TrainerFixtures.Metrics(options.Loop.OutputDirectory).Single();
            return (new MetricsRowView(row.TrainLoss, row.GradNorm), result.ArtifactDirectory);
        }

        var cpu = await Step("cpu");
        var cuda = await Step("cuda:0");

        Assert.Equal(cpu.Metrics.TrainLoss, cuda.Metrics.TrainLoss, cpu.Metrics.TrainLoss * 1e-4);
        Assert.Equal(cpu.Metrics.GradNorm, cuda.Metrics.GradNorm, cpu.Metrics.GradNorm * 1e-4);
        using var cpuWeights = SafetensorsFile.Open(Path.Combine(cpu.Artifact, "hypernetwork.safetensors"));
        using var cudaWeights = SafetensorsFile.Open(Path.Combine(cuda.Artifact, "hypernetwork.safetensors"));
        foreach (var name in cpuWeights.Keys)
        {
            using var a = cpuWeights.ReadTensor(name);
            using var b = cudaWeights.ReadTensor(name);
            AssertRelativeClose(a, b);
        }
    }

    private sealed record MetricsRowView(double TrainLoss, double GradNorm);

    private static void AssertRelativeClose(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var e = expected.to(ScalarType.Float32, CPU);
        var a = actual.to(ScalarType.Float32, CPU);
        var scale = Math.Max(e.abs().max().item<float>(), 1e-12f);
        var error = e.sub(a).abs().max().item<float>() / scale;
        Assert.True(error <= 1e-4, $"relative max error {error:E2} > 1e-4");
    }
}
