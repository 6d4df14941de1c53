namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Keeps the bytes of one answer body up to a limit, within the route's memory budget. Beyond either the bytes are let go
/// at once and the buffer says why; the answer is then not compared. Written by one side at a time, released once it is done.
/// </summary>
internal sealed class AnswerBuffer(DiffMemory memory, long limit)
{
    private const int FirstCapacity = 4096;

    private byte[]? _array;
    private int _length;

    /// <summary>Why the body cannot be compared, or null while it can.</summary>
    public NotComparedReason? Problem { get; private set; }

    /// <summary>The bytes kept.</summary>
    public ReadOnlySpan<byte> Bytes => _array.AsSpan(0, _length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Problem is not null || data.IsEmpty)
        {
            return;
        }

        var needed = (long)_length + data.Length;
        if (needed > limit)
        {
            GiveUp(NotComparedReason.BodyTooLarge);
            return;
        }

        if (_array is null || needed > _array.Length)
        {
            var capacity = (int)Math.Min(limit, Math.Max(needed, Math.Max(FirstCapacity, (_array?.Length ?? 0) * 2L)));
            if (!memory.TryReserve(capacity - (_array?.Length ?? 0)))
            {
                GiveUp(NotComparedReason.Memory);
                return;
            }

            // Sizes are reserved exactly, so the array is plain, not pooled (a pool may hand out more than asked).
            var grown = GC.AllocateUninitializedArray<byte>(capacity);
            Bytes.CopyTo(grown);
            _array = grown;
        }

        data.CopyTo(_array.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Lets the bytes go (and their share of the memory budget); safe to call again.</summary>
    public void Release() => Let();

    private void GiveUp(NotComparedReason reason)
    {
        Problem = reason;
        Let();
    }

    private void Let()
    {
        if (_array is { } array)
        {
            memory.Release(array.Length);
            _array = null;
            _length = 0;
        }
    }
}
