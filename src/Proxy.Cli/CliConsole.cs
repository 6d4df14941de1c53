using Spectre.Console;

namespace Proxy.Cli;

/// <summary>
/// Where proxyctl reads and writes: standard output (tables through Spectre, JSON and help as plain text), standard error
/// (one line per failure) and standard input (a key given with --key-stdin). Tests pass string writers.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, TextReader input, bool interactive, int width = 120)
    {
        Output = output;
        Error = error;
        Input = input;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new FixedWidthOutput(output, interactive, width),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Standard output as text: JSON, help.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard output for tables and the live rollout block.</summary>
    public IAnsiConsole Ansi { get; }

    public TextWriter Error { get; }

    public TextReader Input { get; }

    /// <summary>True on a terminal: live redraws; false (CI, a pipe) prints one line per change instead.</summary>
    public bool Interactive { get; }

    /// <summary>The process's own console.</summary>
    public static CliConsole FromProcess()
    {
        var interactive = !Console.IsOutputRedirected;
        var width = interactive ? Math.Max(Console.WindowWidth, 60) : 160;
        return new CliConsole(Console.Out, Console.Error, Console.In, interactive, width);
    }

    // Spectre asks the console for its width; a redirected stream has none, so tables get a fixed one.
    private sealed class FixedWidthOutput(TextWriter writer, bool terminal, int width) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => terminal;

        public int Width => width;

        public int Height => terminal && !Console.IsOutputRedirected ? Console.WindowHeight : 40;

        public void SetEncoding(System.Text.Encoding encoding)
        {
        }
    }
}
