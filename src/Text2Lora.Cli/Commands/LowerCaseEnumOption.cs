using System.CommandLine;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// An enum option whose values are shown in help in lower case, the default included (<c>&lt;t2l|harness&gt;</c>,
/// <c>[default: t2l]</c>), as the docs write them; any case is accepted (System.CommandLine parses enums ignoring case).
/// The default is applied on read rather than through <c>DefaultValueFactory</c>, whose help text would be the
/// member's PascalCase name.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal sealed class LowerCaseEnumOption<TEnum>
    where TEnum : struct, Enum
{
    private readonly TEnum _default;

    public LowerCaseEnumOption(string name, string description, TEnum defaultValue, params string[] aliases)
    {
        _default = defaultValue;
        Option = new Option<TEnum?>(name, aliases)
        {
            Description = $"{description} [default: {NameOf(defaultValue)}]",
            HelpName = string.Join('|', Enum.GetValues<TEnum>().Select(NameOf)),
        };
    }

    /// <summary>The option to add to a command.</summary>
    public Option<TEnum?> Option { get; }

    /// <summary>How help and docs write <paramref name="value"/>.</summary>
    public static string NameOf(TEnum value) => value.ToString().ToLowerInvariant();

    /// <summary>The parsed value, else the default.</summary>
    public TEnum Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Option) ?? _default;
    }
}
