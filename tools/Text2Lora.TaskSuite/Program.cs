using System.Globalization;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Output;
using Text2Lora.TaskSuite.V2;

namespace Text2Lora.TaskSuite;

/// <summary>
/// <c>dotnet run --project tools/Text2Lora.TaskSuite -- --output data/task-suite</c> regenerates the suite folder;
/// <c>--check data/task-suite</c> only verifies that the folder is what the code produces (exit code 1 if not).
/// <c>--suite v2</c> first does the same for suite v2 (<c>data/task-suite-v2</c>).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var suite = "v1";
        if (args.Length == 4 && args[0] == "--suite")
        {
            suite = args[1];
            args = args[2..];
        }

        if (args.Length != 2 || args[0] is not ("--output" or "--check") || suite is not ("v1" or "v2"))
        {
            Console.Error.WriteLine("usage: Text2Lora.TaskSuite [--suite v1|v2] --output DIR   (regenerate the task-suite folder)");
            Console.Error.WriteLine("       Text2Lora.TaskSuite [--suite v1|v2] --check DIR    (verify DIR is byte-identical to a regeneration)");
            return 2;
        }

        var files = suite == "v2" ? SuiteV2Generator.Render() : SuiteRenderer.Render(SuiteGenerator.Generate());
        var directory = args[1];
        if (args[0] == "--check")
        {
            var differences = SuiteComparer.Differences(files, directory);
            foreach (var difference in differences)
            {
                Console.Error.WriteLine(difference);
            }

            Console.WriteLine(differences.Count == 0 ? $"{directory}: up to date" : $"{directory}: {differences.Count} difference(s)");
            return differences.Count == 0 ? 0 : 1;
        }

        SuiteWriter.Write(files, directory);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {directory}: {files.Count} files"));
        return 0;
    }
}
