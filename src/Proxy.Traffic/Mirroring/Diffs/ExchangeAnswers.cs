using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// The answers to one mirrored request: the primary's (teed as it streams to the client), the mirror's, and for a share
/// of requests a second answer from the primary's cluster. When the last has arrived the comparison runs on the thread
/// pool, never on the request's, and every body is let go.
/// </summary>
internal sealed class ExchangeAnswers
{
    private readonly MirrorDiffs _diffs;
    private readonly MirrorDiffMetrics _metrics;
    private readonly string _endpoint;
    private int _pending;
    private CapturedAnswer? _primary;
    private CapturedAnswer? _mirror;
    private CapturedAnswer? _second;
    private NotComparedReason? _problem;
    private bool _abandoned;

    public ExchangeAnswers(MirrorDiffs diffs, MirrorDiffMetrics metrics, string endpoint, bool noiseCopy)
    {
        _diffs = diffs;
        _metrics = metrics;
        _endpoint = endpoint;
        NoiseCopy = noiseCopy;
        _pending = noiseCopy ? 3 : 2;
        PrimaryBody = NewBuffer();
    }

    /// <summary>True when a second copy goes to the primary's cluster.</summary>
    public bool NoiseCopy { get; }

    /// <summary>Where the primary's body is teed.</summary>
    public AnswerBuffer PrimaryBody { get; }

    /// <summary>A buffer for a copy's answer body.</summary>
    public AnswerBuffer NewBuffer() => new(_diffs.Memory, _diffs.Rules.Settings.MaxBodyBytes);

    /// <summary>The primary's answer is complete (the client has it).</summary>
    public void PrimaryArrived(HttpResponse response, bool answered, bool sameCluster)
    {
        var headers = _diffs.Rules.Settings.Headers;
        var values = new string?[headers.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = response.Headers.TryGetValue(headers[i], out var value) ? value.ToString() : null;
        }

        _primary = new CapturedAnswer(
            response.StatusCode, values, response.ContentType, response.Headers.ContentEncoding.ToString(), PrimaryBody);
        if (!answered)
        {
            _problem ??= NotComparedReason.PrimaryNotAnswered;
        }
        else if (sameCluster)
        {
            _problem ??= NotComparedReason.SameCluster;
        }

        Arrive();
    }

    /// <summary>The mirror's answer, or null when it gave none.</summary>
    public void MirrorArrived(CapturedAnswer? answer)
    {
        _mirror = answer;
        Arrive();
    }

    /// <summary>The second copy is on its way.</summary>
    public void SecondSent() => _diffs.NoiseSent();

    /// <summary>The second primary answer, or null when it gave none (the request is then compared without noise).</summary>
    public void SecondArrived(CapturedAnswer? answer)
    {
        _second = answer;
        if (answer is null)
        {
            _diffs.NoiseFailed();
        }

        Arrive();
    }

    /// <summary>No copy was sent: nothing is compared or counted, and the bodies are let go.</summary>
    public void Abandon()
    {
        _abandoned = true;
        MirrorArrived(null);
        if (NoiseCopy)
        {
            _second = null;
            Arrive();
        }
    }

    /// <summary>Reads a copy's answer into a buffer (the rest of a body over the limit is read and discarded).</summary>
    public async Task<CapturedAnswer> ReadAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
    {
        var buffer = NewBuffer();
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    buffer.Append(chunk.AsSpan(0, read));
                }
            }
        }
        catch
        {
            buffer.Release();
            throw;
        }

        var headers = _diffs.Rules.Settings.Headers;
        var values = new string?[headers.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Header(response, headers[i]);
        }

        return new CapturedAnswer(status, values, response.Content.Headers.ContentType?.ToString(), Header(response, HeaderNames.ContentEncoding), buffer);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? Joined(values)
            : null;

    private static string Joined(HeaderStringValues values) => values.Count == 1 ? values.ToString() : string.Join(", ", values);

    // Interlocked.Decrement is a full fence: the last to arrive sees the others' answers.
    private void Arrive()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        if (_abandoned)
        {
            Release();
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static answers => answers.Compare(), this, preferLocal: false);
    }

    private void Compare()
    {
        try
        {
            if (_problem is { } problem)
            {
                _diffs.NotCompared(problem);
            }
            else if (_mirror is null)
            {
                _diffs.NotCompared(NotComparedReason.MirrorFailed);
            }
            else
            {
                _diffs.Record(_endpoint, _primary!, _mirror, _second, _metrics);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A comparison never fails anything but itself.
            _diffs.NotCompared(NotComparedReason.Unreadable);
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        _primary?.Release();
        PrimaryBody.Release();
        _mirror?.Release();
        _second?.Release();
    }
}
