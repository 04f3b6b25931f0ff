using System.Text;

namespace LossDsl.Generators;

/// <summary>A minimal indenting writer for generated source (in the manner of System.Text.Json's).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', 4 * _indent).Append(line);
        _text.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
