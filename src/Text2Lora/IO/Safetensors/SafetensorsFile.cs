using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.IO.Safetensors;

/// <summary>
/// A validated, memory-mapped safetensors file. Opening reads and checks only the header; each tensor is
/// copied once, straight from the mapped file into a fresh tensor or into a preallocated one, when it is asked for.
/// Each copy maps one chunk of the tensor's bytes at a time and unmaps it afterwards, so the file's pages do not
/// stay in the process's resident set while a checkpoint loads (peak RSS ≈ the weights plus two chunks).
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>How much of the file is mapped at once while a tensor is copied (16 MiB).</summary>
    internal const long ChunkBytes = 16L << 20;

    private readonly SafetensorsHeader _header;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private readonly MemoryMappedFile? _map;
    private bool _disposed;

    private SafetensorsFile(string path, SafetensorsHeader header, MemoryMappedFile? map)
    {
        FilePath = path;
        _header = header;
        _map = map;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was opened from.</summary>
    public string FilePath { get; }

    /// <summary>The header's <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <summary>Tensor entries in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _header.Tensors;

    /// <summary>Tensor names in header order.</summary>
    public IEnumerable<string> Keys => _header.Tensors.Select(t => t.Name);

    /// <summary>Whether the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names the file.</exception>
    public SafetensorsTensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in '{FilePath}'.");

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The header is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported.");
        }

        Runtime.TorchRuntime.EnsureAvailable();
        SafetensorsHeader header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
        {
            try
            {
                header = SafetensorsHeader.Read(stream, path);
            }
            catch (EndOfStreamException ex)
            {
                throw new SafetensorsFormatException(path, "the file ends inside the header.", ex);
            }
        }

        var dataLength = header.Tensors.Count == 0 ? 0 : header.Tensors.Max(t => t.End);
        if (dataLength == 0)
        {
            return new SafetensorsFile(path, header, null);
        }

        return new SafetensorsFile(path, header, MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read));
    }

    /// <summary>
    /// Reads one tensor into a new CPU tensor (one copy from the mapped file), then moves or casts it
    /// to <paramref name="device"/> / <paramref name="dtype"/> when given.
    /// </summary>
    public Tensor ReadTensor(string name, Device? device = null, ScalarType? dtype = null)
    {
        var info = GetInfo(name);
        using var scope = NewDisposeScope();
        var tensor = empty(info.Shape, info.ScalarType);
        ReadInto(name, tensor);
        if (dtype is { } type && type != info.ScalarType)
        {
            tensor = tensor.to_type(type);
        }

        if (device is not null && device.type != DeviceType.CPU)
        {
            tensor = tensor.to(device);
        }

        return tensor.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/> (same shape, contiguous; any dtype
    /// and device: the values are converted on the way) without a full-size temporary: the file is mapped
    /// <see cref="ChunkBytes"/> at a time and each chunk goes straight into its slice of the destination (through a
    /// chunk-sized staging tensor when the dtype or device differs). So loading a bf16 model needs the bf16 weights
    /// plus two chunks, never an fp32 or second copy, and the file's pages leave the resident set chunk by chunk.
    /// </summary>
    /// <exception cref="ArgumentException">The destination's shape differs or it is not contiguous.</exception>
    internal unsafe void ReadInto(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (!info.Shape.SequenceEqual(destination.shape) || !destination.is_contiguous())
        {
            throw new ArgumentException($"Tensor '{name}' of '{FilePath}' is [{string.Join(", ", info.Shape)}]; the destination must be a contiguous tensor of that shape, got [{string.Join(", ", destination.shape)}].", nameof(destination));
        }

        if (info.ByteLength == 0)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_disposed || _map is null, this);
        var elements = destination.NumberOfElements;
        var elementSize = info.ByteLength / elements;
        var chunkElements = Math.Max(1, ChunkBytes / elementSize);
        var direct = destination.device_type == DeviceType.CPU && destination.dtype == info.ScalarType;
        using var staging = direct ? null : empty(Math.Min(chunkElements, elements), info.ScalarType);
        using var flat = destination.view(-1);
        using var noGrad = no_grad();
        for (long start = 0; start < elements; start += chunkElements)
        {
            var count = Math.Min(chunkElements, elements - start);
            using var target = flat.narrow(0, start, count);
            using var view = _map.CreateViewAccessor(_header.DataStart + info.Begin + (start * elementSize), count * elementSize, MemoryMappedFileAccess.Read);
            var handle = view.SafeMemoryMappedViewHandle;
            byte* basePointer = null;
            handle.AcquirePointer(ref basePointer);
            try
            {
                // The view starts at the page boundary at or before the chunk: PointerOffset corrects for it.
                var source = new ReadOnlySpan<byte>(basePointer + view.PointerOffset, (int)(count * elementSize));
                if (direct)
                {
                    source.CopyTo(target.bytes);
                }
                else
                {
                    using var stage = staging!.narrow(0, 0, count);
                    source.CopyTo(stage.bytes);
                    target.copy_(stage);
                }
            }
            finally
            {
                handle.ReleasePointer();
            }
        }
    }

    /// <summary>Reads every tensor (header order) into a dictionary the caller owns.</summary>
    public Dictionary<string, Tensor> ReadAll(Device? device = null, ScalarType? dtype = null)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in _header.Tensors)
            {
                result[info.Name] = ReadTensor(info.Name, device, dtype);
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _map?.Dispose();
    }
}
