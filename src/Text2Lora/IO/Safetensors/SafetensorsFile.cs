using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.IO.Safetensors;

/// <summary>
/// A validated, memory-mapped safetensors file. Opening reads and checks only the header; each tensor is
/// copied once, straight from the mapped file into a fresh tensor, when it is asked for. Each copy maps only that
/// tensor's bytes and unmaps them afterwards, so the file's pages do not stay in the process's resident set while a
/// checkpoint loads (peak RSS ≈ the weights plus one tensor, not the weights plus the whole file).
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
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
        CopyInto(info, tensor);
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

    private unsafe void CopyInto(SafetensorsTensorInfo info, Tensor tensor)
    {
        if (info.ByteLength == 0)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_disposed || _map is null, this);
        using var view = _map.CreateViewAccessor(_header.DataStart + info.Begin, info.ByteLength, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        byte* basePointer = null;
        handle.AcquirePointer(ref basePointer);
        try
        {
            // The view starts at the page boundary at or before the tensor: PointerOffset corrects for it.
            var source = basePointer + view.PointerOffset;
            var elementSize = info.ByteLength / tensor.NumberOfElements;
            var chunkElements = (1L << 30) / elementSize;
            using var flat = tensor.view(-1);
            for (long start = 0; start < tensor.NumberOfElements; start += chunkElements)
            {
                var count = Math.Min(chunkElements, tensor.NumberOfElements - start);
                using var slice = flat.narrow(0, start, count);
                new ReadOnlySpan<byte>(source + (start * elementSize), (int)(count * elementSize)).CopyTo(slice.bytes);
            }
        }
        finally
        {
            handle.ReleasePointer();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _map?.Dispose();
    }
}
