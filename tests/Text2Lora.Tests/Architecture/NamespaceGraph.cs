using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Text2Lora.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of one compiled assembly, read from its metadata and IL with Mono.Cecil: an edge
/// <c>A → B</c> when a type of namespace A names a type of namespace B in a base type, interface, field, property,
/// event, method signature, generic constraint, custom attribute, local variable or instruction operand. Nested and
/// compiler-generated types (lambdas, iterators, async state machines) count for the namespace of their outermost type.
/// Only namespaces starting with <see cref="Prefix"/> are kept. Constants the compiler inlines (enum members,
/// <c>const</c> fields) and XML-doc <c>cref</c>s leave no reference in IL and are not seen.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges;

    private NamespaceGraph(Dictionary<string, SortedSet<string>> edges, IReadOnlySet<string> referencedAssemblies)
    {
        _edges = edges;
        ReferencedAssemblies = referencedAssemblies;
    }

    /// <summary>The namespace prefix kept (<c>Text2Lora</c>).</summary>
    public const string Prefix = "Text2Lora";

    /// <summary>Every namespace that declares a type in the assembly.</summary>
    public IEnumerable<string> Namespaces => _edges.Keys;

    /// <summary>The simple names of the assemblies this one references.</summary>
    public IReadOnlySet<string> ReferencedAssemblies { get; }

    /// <summary>The namespaces (of this or another assembly) that <paramref name="ns"/> refers to, itself excluded.</summary>
    public IReadOnlySet<string> DependenciesOf(string ns) => _edges.TryGetValue(ns, out var set) ? set : new SortedSet<string>();

    /// <summary>A graph given edge by edge (for tests of the rules themselves).</summary>
    public static NamespaceGraph FromEdges(IEnumerable<(string From, string To)> edges, IEnumerable<string>? isolated = null)
    {
        var map = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var ns in isolated ?? [])
        {
            map.TryAdd(ns, new SortedSet<string>(StringComparer.Ordinal));
        }

        foreach (var (from, to) in edges)
        {
            Add(map, from, to);
            map.TryAdd(to, new SortedSet<string>(StringComparer.Ordinal));
        }

        return new NamespaceGraph(map, new HashSet<string>());
    }

    /// <summary>Reads the graph of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static NamespaceGraph Read(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var map = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!from.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            map.TryAdd(from, new SortedSet<string>(StringComparer.Ordinal));
            foreach (var referenced in ReferencedTypes(type))
            {
                foreach (var to in NamespacesNamedBy(referenced))
                {
                    if (to.StartsWith(Prefix, StringComparison.Ordinal) && to != from)
                    {
                        Add(map, from, to);
                    }
                }
            }
        }

        var assemblies = module.AssemblyReferences.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return new NamespaceGraph(map, assemblies);
    }

    /// <summary>The project assemblies (<c>Text2Lora*</c>, <c>t2l</c>) the assembly at <paramref name="assemblyPath"/> references.</summary>
    public static IReadOnlyList<string> ProjectAssemblyReferences(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        return module.AssemblyReferences.Select(a => a.Name)
            .Where(name => name == "t2l" || name == "Text2Lora" || name.StartsWith("Text2Lora.", StringComparison.Ordinal))
            .ToList();
    }

    private static void Add(Dictionary<string, SortedSet<string>> map, string from, string to)
    {
        if (!map.TryGetValue(from, out var set))
        {
            map[from] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        if (from != to)
        {
            set.Add(to);
        }
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }

    /// <summary>The namespaces a (possibly generic, array or by-ref) type reference names.</summary>
    private static IEnumerable<string> NamespacesNamedBy(TypeReference? type)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                yield break;
            case GenericInstanceType generic:
                foreach (var ns in NamespacesNamedBy(generic.ElementType))
                {
                    yield return ns;
                }

                foreach (var argument in generic.GenericArguments)
                {
                    foreach (var ns in NamespacesNamedBy(argument))
                    {
                        yield return ns;
                    }
                }

                yield break;
            case TypeSpecification specification:
                foreach (var ns in NamespacesNamedBy(specification.ElementType))
                {
                    yield return ns;
                }

                yield break;
            default:
                yield return NamespaceOf(type);
                yield break;
        }
    }

    private static IEnumerable<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }

        foreach (var item in type.Interfaces)
        {
            yield return item.InterfaceType;
        }

        foreach (var t in Attributes(type))
        {
            yield return t;
        }

        foreach (var t in Constraints(type.GenericParameters))
        {
            yield return t;
        }

        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
            foreach (var t in Attributes(field))
            {
                yield return t;
            }
        }

        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
            foreach (var t in Attributes(property))
            {
                yield return t;
            }
        }

        foreach (var e in type.Events)
        {
            yield return e.EventType;
        }

        foreach (var method in type.Methods)
        {
            foreach (var t in MethodTypes(method))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<TypeReference> MethodTypes(MethodDefinition method)
    {
        yield return method.ReturnType;
        foreach (var parameter in method.Parameters)
        {
            yield return parameter.ParameterType;
        }

        foreach (var t in Attributes(method).Concat(Constraints(method.GenericParameters)))
        {
            yield return t;
        }

        if (!method.HasBody)
        {
            yield break;
        }

        foreach (var variable in method.Body.Variables)
        {
            yield return variable.VariableType;
        }

        foreach (var instruction in method.Body.Instructions)
        {
            foreach (var t in OperandTypes(instruction))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<TypeReference> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var parameter in method.Parameters)
                {
                    yield return parameter.ParameterType;
                }

                if (method is GenericInstanceMethod generic)
                {
                    foreach (var argument in generic.GenericArguments)
                    {
                        yield return argument;
                    }
                }

                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }

    private static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider provider) =>
        provider.CustomAttributes.Select(a => a.AttributeType);

    private static IEnumerable<TypeReference> Constraints(IEnumerable<GenericParameter> parameters) =>
        parameters.SelectMany(p => p.Constraints).Select(c => c.ConstraintType);
}
