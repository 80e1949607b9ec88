using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The kernelspec's logo-32x32.png and logo-64x64.png, drawn in code (a white '#' on C# purple) so the
/// repository carries no binary files. A minimal PNG: RGB, 8 bits, one zlib-compressed IDAT chunk.
/// </summary>
public static class KernelLogo
{
    private static readonly (byte R, byte G, byte B) Background = (0x68, 0x21, 0x7A), Ink = (0xFF, 0xFF, 0xFF);

    public static byte[] Png(int size)
    {
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + 3 * size]; // a filter byte (0: none), then RGB per pixel
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    var (r, g, b) = IsHash(x / (double)size, y / (double)size) ? Ink : Background;
                    row[1 + 3 * x] = r; row[2 + 3 * x] = g; row[3 + 3 * x] = b;
                }
                zlib.Write(row);
            }
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The hash sign: two vertical and two horizontal bars, in fractions of the image size.</summary>
    private static bool IsHash(double x, double y)
    {
        bool vertical = (Within(x, 0.36, 0.46) || Within(x, 0.56, 0.66)) && Within(y, 0.2, 0.8);
        bool horizontal = (Within(y, 0.34, 0.44) || Within(y, 0.56, 0.66)) && Within(x, 0.2, 0.8);
        return vertical || horizontal;
    }

    private static bool Within(double value, double from, double to) => value >= from && value < to;

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeBytes, data));
        png.Write(number);
    }

    /// <summary>The CRC-32 PNG puts after each chunk (over its type and data), bit by bit: a few hundred bytes.</summary>
    private static uint Crc32(byte[] type, byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var part in new[] { type, data })
            foreach (var b in part)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        return ~crc;
    }
}
