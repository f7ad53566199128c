using System.Text;
using System.Text.Json;

namespace Soar.Cli.Commands;

/// <summary>Writes JSON objects one per line to a text writer, in 64 KiB batches.</summary>
internal sealed class JsonLinesWriter(TextWriter output) : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private Utf8JsonWriter? _json;

    public void Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        _json ??= new Utf8JsonWriter(_buffer);
        write(_json, value);
        _json.Flush();
        _json.Reset();
        _buffer.WriteByte((byte)'\n');
        if (_buffer.Length >= 1 << 16) Flush();
    }

    public void Flush()
    {
        if (_buffer.Length > 0) output.Write(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
        _buffer.SetLength(0);
        output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json?.Dispose();
    }
}
