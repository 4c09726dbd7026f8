using System.Diagnostics.CodeAnalysis;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>The adapters the gateway speaks, one per catalog <see cref="ApiProtocol"/>.</summary>
internal sealed class ProtocolSet(IEnumerable<ChatProtocol> protocols)
{
    private readonly Dictionary<ApiProtocol, ChatProtocol> _byProtocol = protocols.ToDictionary(p => p.Protocol);

    public bool TryGet(ApiProtocol protocol, [NotNullWhen(true)] out ChatProtocol? adapter) => _byProtocol.TryGetValue(protocol, out adapter);
}
