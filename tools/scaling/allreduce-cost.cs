// The cost model of docs/scaling.md: the bytes a data-parallel step all-reduces for each preset, and how long a ring
// all-reduce of them takes at a few interconnect bandwidths. Computed from the presets and the parameter count of
// the library, so the table follows the presets. Run: dotnet run tools/scaling/allreduce-cost.cs
#:project ../../src/Course/Course.csproj
#:property PublishAot=false
using System.Globalization;
using Course;

// NCCL's "bus bandwidth" (nccl-tests): what each GPU's link moves per second in a ring. Assumed, not measured here.
(string Name, double BytesPerSecond)[] links =
[
    ("NVLink 4 / NVSwitch, 8 GPUs in a node (~400 GB/s)", 400e9),
    ("400 Gb/s InfiniBand NDR, one NIC per GPU (~45 GB/s)", 45e9),
    ("PCIe 4.0 x16 between GPUs in a node (~20 GB/s)", 20e9),
    ("100 Gb/s Ethernet (~11 GB/s)", 11e9),
];
int[] worldSizes = [2, 8, 64];
var c = CultureInfo.InvariantCulture;

Console.WriteLine("| preset | parameters | fp32 gradients (MB) | bf16 gradients (MB) | per GPU per step, ring of 2 / 8 / 64 (fp32, MB) |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var preset in Preset.All.Values)
{
    var parameters = preset.Model.ParameterCount();
    var sent = worldSizes.Select(n => RingBytes(parameters * 4.0, n) / 1e6);
    Console.WriteLine(string.Create(c, $"| `{preset.Name}` | {parameters:N0} | {parameters * 4 / 1e6:F2} | {parameters * 2 / 1e6:F2} | {string.Join(" / ", sent.Select(b => b.ToString("F2", c)))} |"));
}
Console.WriteLine();
Console.WriteLine("| preset (fp32, ring of 8) | " + string.Join(" | ", links.Select(l => l.Name)) + " |");
Console.WriteLine("|---|" + string.Concat(links.Select(_ => "---|")));
foreach (var preset in Preset.All.Values)
{
    var bytes = preset.Model.ParameterCount() * 4.0;
    Console.WriteLine($"| `{preset.Name}` | " + string.Join(" | ", links.Select(l => Milliseconds(RingBytes(bytes, 8) / l.BytesPerSecond))) + " |");
}

// A ring all-reduce of S bytes over n GPUs: a reduce-scatter then an all-gather, each moving (n−1)/n·S through every GPU's link.
static double RingBytes(double bytes, int n) => 2.0 * (n - 1) / n * bytes;
static string Milliseconds(double seconds) => seconds < 1e-3
    ? (seconds * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " µs"
    : (seconds * 1e3).ToString("F1", CultureInfo.InvariantCulture) + " ms";
