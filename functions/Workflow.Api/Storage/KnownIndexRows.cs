using Azure;
using Microsoft.Extensions.Caching.Memory;

namespace Workflow.Api.Storage;

/// <summary>
/// The index rows this instance last wrote or read: the version each shows and its ETag, or that there is none. A
/// projection replaces a known row with If-Match on that ETag, so the version guard costs no read: if anyone else
/// wrote the row since, the ETag no longer matches, the write is refused, and the projector reads and decides again.
/// Bounded (a full cache simply remembers less, and costs a read more); nothing here is ever trusted without the ETag,
/// except "shows this version or later", which only ever skips a write the guard would refuse.
/// </summary>
public sealed class KnownIndexRows : IDisposable
{
    /// <summary>What is known of one row. <see cref="None"/>: there is no such row.</summary>
    public readonly record struct Row(bool Exists, int Version, ETag ETag)
    {
        public static Row None => new(false, 0, default);
    }

    private readonly MemoryCache _rows;
    private readonly TimeSpan _lifetime;

    public KnownIndexRows(int capacity = 100_000, TimeSpan? lifetime = null)
    {
        _rows = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
        _lifetime = lifetime ?? TimeSpan.FromHours(1);
    }

    /// <summary>How many rows are remembered now.</summary>
    public int Count => _rows.Count;

    public Row? Find(string table, string partition, string row) =>
        _rows.TryGetValue(Key(table, partition, row), out Row known) ? known : null;

    public bool IsAbsent(string table, string partition, string row) => Find(table, partition, row) is { Exists: false };

    public void Wrote(string table, string partition, string row, int version, ETag? etag)
    {
        if (etag is { } tag && tag != default)
        {
            Remember(Key(table, partition, row), new Row(true, version, tag));
        }
        else
        {
            Forget(table, partition, row);
        }
    }

    public void Absent(string table, string partition, string row) => Remember(Key(table, partition, row), Row.None);

    public void Forget(string table, string partition, string row) => _rows.Remove(Key(table, partition, row));

    public void Dispose() => _rows.Dispose();

    private void Remember(string key, Row row) =>
        _rows.Set(key, row, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = _lifetime });

    private static string Key(string table, string partition, string row) => string.Concat(table, "\n", partition, "\n", row);
}
