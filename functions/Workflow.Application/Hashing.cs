using System.Security.Cryptography;
using System.Text;

namespace Workflow.Application;

internal static class Hashing
{
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A GUID-shaped id derived from <paramref name="text"/>: the same input always names the same workflow.</summary>
    public static string DerivedId(string text)
    {
        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), bytes);
        return new Guid(bytes[..16]).ToString("N");
    }
}
