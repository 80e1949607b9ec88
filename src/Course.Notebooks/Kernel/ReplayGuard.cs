namespace Course.Notebooks.Kernel;

/// <summary>
/// Remembers the signatures of recent messages so a captured message cannot be sent again. Bounded: the oldest
/// half is forgotten when full, as jupyter_client's Session does, so memory stays flat in a long session.
/// Used from the socket thread only.
/// </summary>
internal sealed class ReplayGuard(int capacity = 1 << 16)
{
    private readonly HashSet<string> _seen = [];
    private readonly Queue<string> _order = new();

    public bool FirstSight(string signature)
    {
        if (!_seen.Add(signature)) return false;
        _order.Enqueue(signature);
        if (_order.Count > capacity)
            while (_order.Count > capacity / 2) _seen.Remove(_order.Dequeue());
        return true;
    }
}
