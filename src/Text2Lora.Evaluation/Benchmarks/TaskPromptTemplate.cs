using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// The prompt fields of a task folder's <c>metadata.yaml</c> (the T2L reference's task metadata):
/// <c>user_prompt_template</c> (default <c>{input}</c>), <c>system_message</c> and <c>assistant_prefill</c> (default empty).
/// Other keys (<c>descriptions</c>, <c>response_field</c>…) are ignored here. The template may use <c>{input}</c> and its
/// reference alias <c>{problem}</c>; any other <c>{name}</c> placeholder is rejected, since there is nothing to fill it with.
/// </summary>
public sealed partial record TaskPromptTemplate(string UserPromptTemplate, string SystemMessage, string AssistantPrefill)
{
    /// <summary>The template used when a task folder has no <c>metadata.yaml</c>: the input alone.</summary>
    public static TaskPromptTemplate Default { get; } = new("{input}", "", "");

    /// <summary>Reads the prompt fields of <paramref name="path"/>.</summary>
    /// <exception cref="BenchmarkFormatException">Not YAML, not a mapping, a field is not a string, or an unknown placeholder.</exception>
    public static TaskPromptTemplate Read(string path)
    {
        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            root = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new BenchmarkFormatException(path, null, null, "expected a YAML mapping at the top level.");
        }
        catch (YamlException ex)
        {
            throw new BenchmarkFormatException(path, (int)ex.Start.Line, null, $"not valid YAML ({ex.Message}).", ex);
        }

        var template = new TaskPromptTemplate(
            Scalar(path, root, "user_prompt_template") ?? Default.UserPromptTemplate,
            Scalar(path, root, "system_message") ?? "",
            Scalar(path, root, "assistant_prefill") ?? "");
        var unknown = Placeholder().Matches(template.UserPromptTemplate)
            .Select(m => m.Groups[1].Value)
            .FirstOrDefault(name => name is not ("input" or "problem"));
        if (unknown is not null)
        {
            var line = root.Children.TryGetValue(new YamlScalarNode("user_prompt_template"), out var node) ? (int)node.Start.Line : (int?)null;
            throw new BenchmarkFormatException(path, line, "user_prompt_template", $"unknown placeholder '{{{unknown}}}'; only {{input}} and {{problem}} are filled.");
        }

        return template;
    }

    /// <summary>The user message for one input.</summary>
    public string Render(string input) =>
        UserPromptTemplate.Replace("{input}", input, StringComparison.Ordinal).Replace("{problem}", input, StringComparison.Ordinal);

    private static string? Scalar(string path, YamlMappingNode root, string key)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar
            ? scalar.Value ?? ""
            : throw new BenchmarkFormatException(path, (int)node.Start.Line, key, "expected a string.");
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
