using System.Text;

namespace Proxy.FunctionalTests.Cli;

/// <summary>Collects what a running command writes, readable by the test while it runs.</summary>
public sealed class SynchronizedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The lines written so far (the last one may be incomplete).</summary>
    public string[] Lines
    {
        get
        {
            lock (_text)
            {
                return _text.ToString().Split('\n');
            }
        }
    }

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }
}
