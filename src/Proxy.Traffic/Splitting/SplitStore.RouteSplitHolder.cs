using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

public sealed partial class SplitStore
{
    /// <summary>A route's snapshot in force and the file split it was last configured with.</summary>
    internal sealed class RouteSplitHolder(SplitSnapshot current, SplitState? configured)
    {
        private volatile SplitSnapshot _current = current;
        private volatile SplitState? _configured = configured;

        public SplitSnapshot Current
        {
            get => _current;
            set => _current = value;
        }

        public SplitState? Configured
        {
            get => _configured;
            set => _configured = value;
        }
    }
}
