using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Text2Lora.Tests.TaskSuite;

namespace Text2Lora.Tests.Documentation;

/// <summary>
/// Docs that cannot rot: every C# block marked <c>```csharp compile</c> in README.md, docs/**/*.md, the package
/// readmes (src/*/PACKAGE.md) and the sample READMEs compiles, as a console app's Program.cs (top-level statements,
/// the SDK's implicit usings), against the assemblies this test runs with. <c>eng/verify-package.sh</c> also
/// compiles and runs README.md's first block against the packed packages.
/// </summary>
public sealed class DocumentationSnippetTests
{
    /// <summary>The info string that marks a block as compilable.</summary>
    internal const string Marker = "```csharp compile";

    /// <summary>What <c>&lt;ImplicitUsings&gt;enable&lt;/ImplicitUsings&gt;</c> gives a console app.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly string Root = Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in FindSnippets())
        {
            data.Add(file, line);
        }

        return data;
    }

    [Fact]
    public void The_readme_quick_start_is_among_the_compiled_blocks() =>
        Assert.Contains(FindSnippets(), s => s.File == "README.md" && s.Code.Contains("Text2LoraBuilder.Create()", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Marked_block_compiles(string file, int line)
    {
        var code = FindSnippets().Single(s => s.File == file && s.Line == line).Code;
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(code, path: $"{file}:{line}")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);

        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, $"{file} line {line} does not compile:\n{string.Join('\n', errors)}");
    }

    /// <summary>The managed assemblies of this test process (the framework, the packages and the Text2Lora projects).</summary>
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList());

    private static IEnumerable<(string File, int Line, string Code)> FindSnippets()
    {
        var files = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "PACKAGE.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "samples"), "README.md", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimEnd() != Marker)
                {
                    continue;
                }

                var code = new StringBuilder();
                var start = i + 1;
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.AppendLine(lines[i]);
                }

                yield return (Path.GetRelativePath(Root, file).Replace('\\', '/'), start, code.ToString());
            }
        }
    }
}
