using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Text2Lora.IO.Pickle;

/// <summary>
/// Reads a <c>torch.save</c> state-dict pickle symbolically — nothing is imported, constructed or called — and
/// refuses it unless every global is on the allowlist (<c>collections.OrderedDict</c>,
/// <c>torch._utils._rebuild_tensor_v2</c>, <c>torch.*Storage</c>) and every opcode is a plain data opcode or one
/// of REDUCE/BUILD/BINPERSID applied the way <c>torch.save</c> applies them. The result lists the tensors (key,
/// storage type, shape) so callers can check a checkpoint before a real unpickler ever sees it.
/// </summary>
internal sealed class RestrictedPickleReader
{
    private static readonly HashSet<string> StorageTypes = new(StringComparer.Ordinal)
    {
        "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
        "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    };

    private readonly string _source;
    private readonly string _entry;
    private readonly byte[] _data;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private RestrictedPickleReader(string source, string entry, byte[] data)
    {
        _source = source;
        _entry = entry;
        _data = data;
    }

    /// <summary>Checks <paramref name="pickle"/> (entry <paramref name="entry"/> of file <paramref name="source"/>) and returns the state dict's tensors in pickle order.</summary>
    /// <exception cref="UnsafePickleException">A global or opcode outside the allowlist, or a structure torch.save does not write.</exception>
    public static IReadOnlyList<TorchTensorEntry> ReadStateDict(byte[] pickle, string source, string entry)
    {
        var reader = new RestrictedPickleReader(source, entry, pickle);
        var root = reader.Run();
        if (root is not PickleDict dict)
        {
            throw reader.Refuse(null, "the pickle's root object is not a state dict (OrderedDict of tensors).");
        }

        var entries = new List<TorchTensorEntry>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not PickleTensor tensor)
            {
                throw reader.Refuse(null, $"state-dict entry '{key}' is not a string key mapped to a tensor.");
            }

            entries.Add(new TorchTensorEntry(name, tensor.Storage.Type, tensor.Shape)
            {
                StorageKey = tensor.Storage.Key,
                StorageElements = tensor.Storage.Numel,
                StorageOffset = tensor.Offset,
                Stride = tensor.Stride,
            });
        }

        return entries;
    }

    private object? Run()
    {
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Refuse(null, "the pickle ends without a STOP opcode.");
            }

            var opcode = _data[_position++];
            switch (opcode)
            {
                case 0x80: Take(1); break;                                   // PROTO
                case 0x95: Take(8); break;                                   // FRAME
                case (byte)'.': return Pop();                                // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;            // MARK
                case (byte)')': Push(new PickleTuple([])); break;            // EMPTY_TUPLE
                case (byte)'}': Push(new PickleDict()); break;               // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;            // EMPTY_LIST
                case (byte)'N': Push(null); break;                           // NONE
                case 0x88: Push(true); break;                                // NEWTRUE
                case 0x89: Push(false); break;                               // NEWFALSE
                case (byte)'K': Push((long)Take(1)[0]); break;               // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;  // BININT
                case 0x8a: Push(new BigInteger(Take(Take(1)[0]), isUnsigned: false, isBigEndian: false)); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;          // BINFLOAT
                case 0x8c: Push(Utf8(Take(Take(1)[0]))); break;              // SHORT_BINUNICODE
                case (byte)'X': Push(Utf8(Take(Length32()))); break;         // BINUNICODE
                case 0x8d: Push(Utf8(Take(Length64()))); break;              // BINUNICODE8
                case (byte)'U': Push(Take(Take(1)[0]).ToArray()); break;     // SHORT_BINSTRING (bytes)
                case (byte)'T': Push(Take(Length32()).ToArray()); break;     // BINSTRING
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break;     // SHORT_BINBYTES
                case (byte)'B': Push(Take(Length32()).ToArray()); break;     // BINBYTES
                case (byte)'q': _memo[Take(1)[0]] = Peek(); break;           // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;               // MEMOIZE
                case (byte)'h': Push(Recall(Take(1)[0])); break;             // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'t': Push(new PickleTuple(PopToMark())); break;   // TUPLE
                case 0x85: Push(new PickleTuple([Pop()])); break;            // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; } // TUPLE3
                case (byte)'l': Push(PopToMark().ToList()); break;           // LIST
                case (byte)'a': { var item = Pop(); AsList(Peek()).Add(item); break; }           // APPEND
                case (byte)'e': { var items = PopToMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'d': Push(DictFrom(PopToMark())); break;          // DICT
                case (byte)'s': { var v = Pop(); var k = Pop(); AsDict(Peek()).Items.Add(new(k, v)); break; } // SETITEM
                case (byte)'u': { var items = PopToMark(); var dict = AsDict(Peek()); dict.Items.AddRange(DictFrom(items).Items); break; } // SETITEMS
                case (byte)'c': Push(Global(Line(), Line())); break;         // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(StackGlobal(module, name)); break; } // STACK_GLOBAL
                case (byte)'Q': Push(PersistentStorage(Pop())); break;       // BINPERSID
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; } // BUILD
                default:
                    // INST, OBJ, NEWOBJ(_EX), EXT1/2/4, PERSID, text-mode and unknown opcodes: nothing torch.save writes for a state dict.
                    throw Refuse(null, $"opcode 0x{opcode:x2} ('{OpcodeName(opcode)}') at byte {_position - 1} is not allowed in a state-dict pickle.");
            }
        }
    }

    private PickleGlobal Global(string module, string name)
    {
        var full = $"{module}.{name}";
        var allowed = full is "collections.OrderedDict" or "torch._utils._rebuild_tensor_v2"
            || (module == "torch" && StorageTypes.Contains(name));
        return allowed
            ? new PickleGlobal(module, name)
            : throw Refuse(full, $"global '{full}' is not on the allowlist (collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.*Storage).");
    }

    private PickleGlobal StackGlobal(object? module, object? name) =>
        module is string m && name is string n
            ? Global(m, n)
            : throw Refuse(null, "STACK_GLOBAL with a module or name that is not a string.");

    private PickleStorage PersistentStorage(object? pid)
    {
        // torch.save: ('storage', torch.<Type>Storage, '<key>', '<location>', numel)
        if (pid is PickleTuple { Items: ["storage", PickleGlobal { Module: "torch" } type, string key, string, long numel] } && StorageTypes.Contains(type.Name))
        {
            return new PickleStorage(type.Name, key, numel);
        }

        throw Refuse(null, "a persistent id that is not a torch storage reference.");
    }

    private object Reduce(object? callable, object? args)
    {
        switch (callable)
        {
            case PickleGlobal { Module: "collections", Name: "OrderedDict" } when args is PickleTuple { Items.Length: 0 }:
                return new PickleDict();
            case PickleGlobal { Module: "collections", Name: "OrderedDict" } when args is PickleTuple { Items: [var pairs] }:
                // OrderedDict(iterable of (key, value)) — e.g. TorchSharp.PyBridge writes the hooks argument as OrderedDict(()).
                return PairsToDict(pairs);
            case PickleGlobal { Module: "torch._utils", Name: "_rebuild_tensor_v2" }
                when args is PickleTuple { Items: [PickleStorage storage, long offset, PickleTuple shape, PickleTuple stride, bool, ..] }:
                return new PickleTensor(
                    storage,
                    offset,
                    shape.Items.Select(d => d is long v ? v : throw Refuse(null, "a tensor shape holds a non-integer.")).ToArray(),
                    stride.Items.Select(d => d is long v ? v : throw Refuse(null, "a tensor stride holds a non-integer.")).ToArray());
            case PickleGlobal global:
                throw Refuse($"{global.Module}.{global.Name}", $"REDUCE may only call collections.OrderedDict() and torch._utils._rebuild_tensor_v2(storage, ...), not '{global.Module}.{global.Name}' with these arguments.");
            default:
                throw Refuse(null, "REDUCE on something that is not an allowlisted global.");
        }
    }

    private PickleDict PairsToDict(object? pairs)
    {
        var items = pairs switch
        {
            PickleTuple tuple => tuple.Items,
            List<object?> list => list.ToArray(),
            _ => throw Refuse(null, "OrderedDict called with something that is not a sequence of pairs."),
        };
        var dict = new PickleDict();
        foreach (var item in items)
        {
            dict.Items.Add(item is PickleTuple { Items: [var key, var value] }
                ? new(key, value)
                : throw Refuse(null, "OrderedDict called with an item that is not a (key, value) pair."));
        }

        return dict;
    }

    private void Build(object? target, object? state)
    {
        // torch.save BUILDs the OrderedDict with {'_metadata': ...} (module versions): harmless, ignored.
        if (target is not PickleDict || state is not PickleDict)
        {
            throw Refuse(null, "BUILD is only allowed to set the state dict's metadata.");
        }
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Refuse(null, $"memo slot {index} is read before it is written.");

    private List<object?> AsList(object? value) => value as List<object?> ?? throw Refuse(null, "APPEND on something that is not a list.");

    private PickleDict AsDict(object? value) => value as PickleDict ?? throw Refuse(null, "SETITEM on something that is not a dict.");

    private PickleDict DictFrom(object?[] items)
    {
        if (items.Length % 2 != 0)
        {
            throw Refuse(null, "a dict literal with an odd number of items.");
        }

        var dict = new PickleDict();
        for (var i = 0; i < items.Length; i += 2)
        {
            dict.Items.Add(new(items[i], items[i + 1]));
        }

        return dict;
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 && (_marks.Count == 0 || _marks.Peek() < _stack.Count)
        ? _stack[^1]
        : throw Refuse(null, "stack underflow.");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw Refuse(null, "an opcode needs a MARK that was never set.");
        }

        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw Refuse(null, "the pickle ends inside an opcode argument.");
        }

        var span = _data.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private long Length64()
    {
        var length = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return length > int.MaxValue ? throw Refuse(null, "a string longer than 2 GiB.") : (long)length;
    }

    private string Line()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
        {
            throw Refuse(null, "GLOBAL without a terminating newline.");
        }

        var text = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return text;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string OpcodeName(byte opcode) => opcode switch
    {
        (byte)'i' => "INST",
        (byte)'o' => "OBJ",
        0x81 => "NEWOBJ",
        0x92 => "NEWOBJ_EX",
        0x82 or 0x83 or 0x84 => "EXT",
        (byte)'P' => "PERSID",
        _ => opcode is >= 0x20 and < 0x7f ? ((char)opcode).ToString() : "unknown",
    };

    private UnsafePickleException Refuse(string? global, string problem) => new(_source, global, $"{_entry}: {problem}");

    private sealed record PickleGlobal(string Module, string Name);

    private sealed record PickleTuple(object?[] Items);

    private sealed record PickleStorage(string Type, string Key, long Numel);

    private sealed record PickleTensor(PickleStorage Storage, long Offset, long[] Shape, long[] Stride);

    private sealed class PickleDict
    {
        public List<KeyValuePair<object?, object?>> Items { get; } = [];
    }
}
