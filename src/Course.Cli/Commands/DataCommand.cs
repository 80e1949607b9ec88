using System.CommandLine;
using Course.Data;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course data list|prepare`: the corpus catalog, and tokenising a corpus into binary token shards.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the corpora of the catalog (data/catalog.json).");
        list.SetAction(_ =>
        {
            var table = new Table().AddColumns("name", "size", "licence", "description");
            foreach (var e in CorpusCatalog.Entries)
                table.AddRow(e.Name, e.Bytes is long b ? $"{b / 1e6:F1} MB" : "-", Markup.Escape(e.License), Markup.Escape(e.Description));
            AnsiConsole.Console.Write(table);
            AnsiConsole.Console.WriteLine($"Cache: {CacheDirectory.Resolve()} (set {CacheDirectory.EnvironmentVariable} to move it)");
            return 0;
        });

        var corpus = new Option<string>("--corpus") { Description = "A catalog corpus or the path of a UTF-8 text file.", DefaultValueFactory = _ => Corpora.Default };
        var tokenizer = new Option<string>("--tokenizer") { Description = $"Tokenizer spec: {string.Join("; ", Tokenizers.ValidSpecs)}.", DefaultValueFactory = _ => "char" };
        var output = new Option<string>("--out") { Description = "Folder for train.bin, val.bin, meta.json and the tokenizer; train with `course pretrain --shards FOLDER`.", Required = true };
        var allowUnverified = new Option<bool>("--allow-unverified") { Description = "Accept a downloaded corpus whose catalog entry has no sha256 to check it against." };
        var prepare = new Command("prepare", "Tokenise a corpus into uint16/uint32 token shards (train and validation).") { corpus, tokenizer, output, allowUnverified };
        prepare.SetAction(parse =>
        {
            var download = new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print), AllowUnverified = parse.GetValue(allowUnverified) };
            var directory = parse.GetValue(output)!;
            // A bad spec or an unusable folder is refused before the corpus is loaded (seconds to minutes of work);
            // the lock is taken again, for the whole preparation, by ShardPreparer.
            Tokenizers.Check(parse.GetValue(tokenizer)!);
            using (FolderLock.Acquire(directory, "shard folder")) { }
            var text = Corpora.Load(parse.GetValue(corpus)!, cacheDirectory: null, download);
            Lines.Write($"corpus [green]{Markup.Escape(text.Name)}[/]: {text.Bytes:N0} bytes, {text.Text.Length:N0} characters, sha256 {text.Sha256}");
            PreparationDisplay.Run(directory, progress => ShardPreparer.Prepare(text, parse.GetValue(tokenizer)!, directory, progress));
            Console.WriteLine($"Train on them with: ./course pretrain --shards {directory}");
            return 0;
        });
        return new Command("data", "Corpora and token shards.") { list, prepare };
    }
}
