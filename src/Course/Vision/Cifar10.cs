using System.Formats.Tar;
using System.IO.Compression;
using Course.Data;

namespace Course.Vision;

/// <summary>
/// CIFAR-10's binary version (cifar-10-binary.tar.gz): the folder cifar-10-batches-bin holds data_batch_1.bin to
/// data_batch_5.bin (training), test_batch.bin and batches.meta.txt (the class names, one per line). Each .bin file
/// is a run of records of 3,073 bytes: the label (0–9), then 1,024 red, 1,024 green and 1,024 blue values, each
/// plane a 32×32 image row by row. The archive is read as it is, without unpacking it.
/// </summary>
public static class Cifar10
{
    public const string Name = "cifar10", Folder = "cifar-10-batches-bin";
    public const int Size = 32, Channels = 3, Classes = 10, RecordBytes = 1 + Channels * Size * Size;

    private static readonly string[] TrainFiles = [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")];
    private const string TestFile = "test_batch.bin", MetaFile = "batches.meta.txt";

    /// <summary>CIFAR-10 from the catalog: downloaded into the cache on first use (resumably, checked against its
    /// SHA-256), then read. The last tenth of the training images is the validation split.</summary>
    /// <param name="entry">The catalog entry to read (default: "cifar10" of data/catalog.json).</param>
    public static ImageDataset Load(string? cacheDirectory = null, DownloadOptions? download = null, CatalogEntry? entry = null)
    {
        entry ??= CorpusCatalog.Find(Name) ?? throw new InvalidOperationException($"The catalog has no '{Name}' entry; rebuild the Course project.");
        var archive = Corpora.Fetch(entry, CacheDirectory.Resolve(cacheDirectory), download);
        var sha256 = entry.Sha256 ?? FileDownloader.HashFileAsync(archive, CancellationToken.None).GetAwaiter().GetResult();
        return Read(archive, sha256, $"{entry.Url} ({entry.License})");
    }

    /// <summary>Reads the binary archive at <paramref name="archive"/>.</summary>
    /// <exception cref="CorpusException">The file is not CIFAR-10's binary archive, or is damaged.</exception>
    public static ImageDataset Read(string archive, string sha256, string source)
    {
        var files = Unpack(archive);
        string[] needed = [.. TrainFiles, TestFile, MetaFile];
        if (needed.FirstOrDefault(f => !files.ContainsKey(f)) is { } missing)
            throw Damaged(archive, $"it has no {Folder}/{missing}");
        var classNames = System.Text.Encoding.ASCII.GetString(files[MetaFile]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (classNames.Length != Classes) throw Damaged(archive, $"{MetaFile} names {classNames.Length} classes, not {Classes}");
        var train = Records(archive, TrainFiles.Select(f => (f, files[f])));
        var validationCount = train.Count / 10;
        var order = Enumerable.Range(0, train.Count).ToArray();
        return new ImageDataset(Name, sha256, source, classNames,
            Train: train.Take(order[..^validationCount]), Validation: train.Take(order[^validationCount..]),
            Test: Records(archive, [(TestFile, files[TestFile])]));
    }

    /// <summary>The files of the archive's CIFAR folder, by name.</summary>
    private static Dictionary<string, byte[]> Unpack(string archive)
    {
        var files = new Dictionary<string, byte[]>();
        try
        {
            using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                var parts = entry.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2 || parts[0] != Folder) continue;
                var bytes = new MemoryStream();
                entry.DataStream.CopyTo(bytes);
                files[parts[1]] = bytes.ToArray();
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw Damaged(archive, $"it cannot be read as a .tar.gz ({e.Message})");
        }
        return files;
    }

    private static ImageSet Records(string archive, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        var pixels = new MemoryStream();
        var labels = new List<int>();
        foreach (var (name, bytes) in files)
        {
            if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
                throw Damaged(archive, $"{name} has {bytes.Length:N0} bytes, not a whole number of {RecordBytes:N0}-byte records");
            for (int offset = 0; offset < bytes.Length; offset += RecordBytes)
            {
                if (bytes[offset] >= Classes) throw Damaged(archive, $"record {offset / RecordBytes} of {name} has label {bytes[offset]}, not 0–9");
                labels.Add(bytes[offset]);
                pixels.Write(bytes, offset + 1, RecordBytes - 1);
            }
        }
        return new ImageSet(pixels.ToArray(), labels.ToArray(), Channels, Size, Size, MaxValue: 255);
    }

    private static CorpusException Damaged(string archive, string why) =>
        new($"{archive} is not CIFAR-10's binary archive: {why}. Delete it to download it again.");
}
