using System.Globalization;

namespace Course.Experiments.Slurm;

/// <summary>Slurm's notation for sets of array task ids: "0-3,5,8-9", with an optional ":step" and "%throttle".</summary>
public static class TaskRanges
{
    /// <summary>"0-3,5" for 0, 1, 2, 3, 5: runs of consecutive ids collapse into ranges.</summary>
    public static string Format(IEnumerable<int> ids)
    {
        var sorted = ids.Distinct().Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("A job array needs at least one task.");
        var parts = new List<string>();
        for (int start = 0; start < sorted.Count;)
        {
            var end = start;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1) end++;
            parts.Add(end == start ? $"{sorted[start]}" : $"{sorted[start]}-{sorted[end]}");
            start = end + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>The ids of "2-3%1", "1,4-8:2" or "7" (as scontrol prints ArrayTaskId).</summary>
    public static IReadOnlyList<int> Parse(string text)
    {
        var ids = new List<int>();
        var list = text.Split('%')[0];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (range, step) = part.Split(':') is [var r, var s] ? (r, Number(s)) : (part, 1);
            if (step < 1) throw new FormatException($"'{text}' has a step of 0.");
            var bounds = range.Split('-');
            var (first, last) = bounds is [var a, var b] ? (Number(a), Number(b)) : (Number(range), Number(range));
            for (var id = first; id <= last; id += step) ids.Add(id);
        }
        return ids;

        int Number(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"'{text}' is not a list of Slurm array task ids.");
    }
}
