using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// Serves a JSON file's last good content. The file is polled (which also sees a ConfigMap's <c>..data</c> symlink swap
/// and a replace by rename, that a file-name watcher misses); a changed content is judged once it has stayed the same for
/// <see cref="LastGoodJsonFileSource.SettleDelay"/>. A version that is missing, unreadable, empty, not JSON, declares
/// nothing or fails <see cref="Validate"/> is refused: the data and every consumer (YARP, options, the split) stay as they
/// were, and <see cref="Refused"/> says why. Only a good version changes the data and raises a reload.
/// </summary>
/// <remarks>
/// .NET's own JSON file provider empties its data when a reload cannot read or parse the file; the next reload of any
/// source then applies an empty configuration. This one never empties.
/// </remarks>
public sealed class LastGoodJsonFileProvider : ConfigurationProvider, IDisposable
{
    private readonly LastGoodJsonFileSource _source;
    private readonly Lock _gate = new();
    private ITimer? _poll;
    private ITimer? _settle;
    private FileRead? _judged;
    private FileRead? _pending;
    private byte[]? _good;
    private volatile ConfigurationRefusal? _refusal;

    /// <summary>Serves <paramref name="source"/>'s file.</summary>
    public LastGoodJsonFileProvider(LastGoodJsonFileSource source)
    {
        _source = source;
    }

    /// <summary>The file.</summary>
    public string Path => _source.Path;

    /// <summary>Checks a good-looking version against the rest of the configuration: its errors, none to apply it. Runs on the poll.</summary>
    public Func<IDictionary<string, string?>, IReadOnlyList<string>>? Validate { get; set; }

    /// <summary>The refusal of the file's current version, or null while the file on disk is the one in force.</summary>
    public ConfigurationRefusal? Refusal => _refusal;

    /// <summary>Raised when a version is refused (once per distinct refusal).</summary>
    public event Action<ConfigurationRefusal>? Refused;

    /// <summary>Raised when a refusal ends: the file came back as the version in force, or a good version was applied.</summary>
    public event Action? RefusalLifted;

    /// <summary>
    /// The first load reads the file or throws (a gateway does not start on a missing or broken file); later loads
    /// (<see cref="IConfigurationRoot.Reload"/>) check it like the poll does.
    /// </summary>
    public override void Load()
    {
        lock (_gate)
        {
            if (_good is not null)
            {
                CheckLocked(settled: true);
                return;
            }

            var read = FileRead.Of(Path);
            var (data, errors) = Parse(read);
            if (errors.Count > 0)
            {
                throw new InvalidDataException(string.Join("; ", errors));
            }

            Data = data!;
            _good = read.Bytes;
            _judged = read;
            _poll = _source.TimeProvider.CreateTimer(_ => Check(settled: false), null, _source.PollInterval, _source.PollInterval);
            _settle = _source.TimeProvider.CreateTimer(_ => Check(settled: true), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Reads the file now and applies or refuses a version that has settled (the poll calls this).</summary>
    internal void Check(bool settled)
    {
        try
        {
            lock (_gate)
            {
                CheckLocked(settled);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A timer callback must not throw (it would end the process); the next poll reads the file again.
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _poll?.Dispose();
            _settle?.Dispose();
        }
    }

    private void CheckLocked(bool settled)
    {
        var read = FileRead.Of(Path);
        if (read.SameAs(_judged))
        {
            _pending = null;
            return;
        }

        // A first sight of a new content waits for a second, identical read: an editor may still be writing.
        if (!settled || !read.SameAs(_pending))
        {
            _pending = read;
            _settle?.Change(_source.SettleDelay, Timeout.InfiniteTimeSpan);
            return;
        }

        _pending = null;
        _judged = read;
        Judge(read);
    }

    private void Judge(FileRead read)
    {
        if (read.Bytes is { } bytes && _good is { } good && bytes.AsSpan().SequenceEqual(good))
        {
            Restore();
            return;
        }

        var (data, errors) = Parse(read);
        if (errors.Count > 0)
        {
            Refuse(errors);
            return;
        }

        if (SameData(data!))
        {
            // Only layout or comments changed.
            _good = read.Bytes;
            Restore();
            return;
        }

        IReadOnlyList<string> invalid;
        try
        {
            invalid = Validate?.Invoke(data!) ?? [];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            invalid = [$"{Path}: the new version could not be checked: {ex.Message}"];
        }

        if (invalid.Count > 0)
        {
            Refuse(invalid);
            return;
        }

        Data = data!;
        _good = read.Bytes;
        Restore();
        OnReload();
    }

    private (IDictionary<string, string?>? Data, IReadOnlyList<string> Errors) Parse(FileRead read)
    {
        if (read.Error is { } error)
        {
            return (null, [$"{Path}: {error}"]);
        }

        if (read.Bytes!.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return (null, [$"{Path}: the file is empty"]);
        }

        IDictionary<string, string?> data;
        try
        {
            data = JsonParser.Parse(read.Bytes!);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException or DecoderFallbackException)
        {
            return (null, [$"{Path}: not a valid JSON configuration file (half-written?): {(ex.InnerException ?? ex).Message}"]);
        }

        return data.Count == 0 ? (null, [$"{Path}: the file declares no settings"]) : (data, []);
    }

    private bool SameData(IDictionary<string, string?> data) =>
        data.Count == Data.Count && data.All(pair => Data.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private void Refuse(IReadOnlyList<string> errors)
    {
        if (_refusal is { } current && current.Errors.SequenceEqual(errors))
        {
            return;
        }

        var refusal = new ConfigurationRefusal(_source.TimeProvider.GetUtcNow(), Path, errors);
        _refusal = refusal;
        Refused?.Invoke(refusal);
    }

    private void Restore()
    {
        if (_refusal is not null)
        {
            _refusal = null;
            RefusalLifted?.Invoke();
        }
    }

    /// <summary>One read of the file: its bytes, or why there are none.</summary>
    private sealed record FileRead(byte[]? Bytes, string? Error)
    {
        public static FileRead Of(string path)
        {
            try
            {
                return new FileRead(File.ReadAllBytes(path), null);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return new FileRead(null, "the file is missing");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new FileRead(null, $"the file cannot be read: {ex.Message}");
            }
        }

        public bool SameAs(FileRead? other) =>
            other is not null && Error == other.Error && (Bytes is null ? other.Bytes is null : other.Bytes is not null && Bytes.AsSpan().SequenceEqual(other.Bytes));
    }

    // The parser of AddJsonFile, so that keys come out exactly as they would from it.
    private sealed class JsonParser() : JsonStreamConfigurationProvider(new JsonStreamConfigurationSource())
    {
        public static IDictionary<string, string?> Parse(byte[] bytes)
        {
            // Invalid UTF-8 is refused rather than read as replacement characters.
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
            var parser = new JsonParser();
            using var stream = new MemoryStream(bytes, writable: false);
            parser.Load(stream);
            return parser.Data;
        }
    }
}
