using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Course.Vision;

namespace Course.Tests.Vision;

/// <summary>A small archive in CIFAR-10's exact binary format (cifar-10-batches-bin/ with five training batches, the
/// test batch and batches.meta.txt, as GNU tar packs it), with known labels and pixels.</summary>
internal sealed class CifarArchive
{
    public static readonly string[] ClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Records per training batch file and in the test batch.</summary>
    public CifarArchive(int perTrainBatch = 4, int test = 3)
    {
        var files = Enumerable.Range(1, 5).Select(b => ($"data_batch_{b}.bin", Records(b, perTrainBatch))).Append(("test_batch.bin", Records(6, test))).ToList();
        Train = files.Take(5).SelectMany(f => Split(f.Item2)).ToList();
        Test = Split(files[5].Item2).ToList();
        var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, $"{Cifar10.Folder}/"));
            var meta = System.Text.Encoding.ASCII.GetBytes(string.Join("\n", ClassNames) + "\n\n");
            foreach (var (name, bytes) in files.Append(("batches.meta.txt", meta)))
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, $"{Cifar10.Folder}/{name}") { DataStream = new MemoryStream(bytes) });
        }
        Bytes = archive.ToArray();
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Bytes));
    }

    public byte[] Bytes { get; }
    public string Sha256 { get; }

    /// <summary>The records of the five training batches in order, and of the test batch: (label, 3,072 pixels).</summary>
    public List<(int Label, byte[] Pixels)> Train { get; }
    public List<(int Label, byte[] Pixels)> Test { get; }

    private static byte[] Records(int file, int count)
    {
        var bytes = new byte[count * Cifar10.RecordBytes];
        for (int r = 0; r < count; r++)
        {
            var offset = r * Cifar10.RecordBytes;
            bytes[offset] = (byte)((3 * r + file) % 10);
            for (int p = 1; p < Cifar10.RecordBytes; p++) bytes[offset + p] = (byte)((p * 7 + r * 13 + file * 31) % 256);
        }
        return bytes;
    }

    private static IEnumerable<(int Label, byte[] Pixels)> Split(byte[] records) =>
        records.Chunk(Cifar10.RecordBytes).Select(r => ((int)r[0], r[1..]));
}
