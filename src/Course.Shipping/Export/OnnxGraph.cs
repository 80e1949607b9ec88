using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static Onnx.TensorProto.Types;

namespace Course.Shipping.Export;

/// <summary>
/// An ONNX graph under construction, on the classes that OnnxSharp generates from onnx.proto: constants become
/// initializers, each operator a node whose output gets a fresh name. The methods are the handful of operators a
/// transformer needs, so a model's graph reads like its forward pass.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>Opset 17 is the first with LayerNormalization, and the newest that onnx 1.12's checker (Debian 12) knows.</summary>
    public const long Opset = 17;

    /// <summary>IR version 8 goes with opset 17 (onnx 1.12).</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _names = [];

    public OnnxGraph(string name) => _graph = new GraphProto { Name = name };

    /// <summary>A graph input of element type <paramref name="type"/>; a string dimension is symbolic (dynamic), a number fixed.</summary>
    public string Input(string name, DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Names <paramref name="value"/> as the graph output <paramref name="name"/>.</summary>
    public void Output(string value, string name, DataType type, params object[] dims)
    {
        if (value != name) Node("Identity", [value], name);
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    public string Floats(string name, ReadOnlySpan<float> values, params long[] dims) => Initializer(name, DataType.Float, MemoryMarshal.AsBytes(values), dims);

    public string Int64s(string name, params long[] values) => Initializer(name, DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), values.Length);

    public string Int8s(string name, ReadOnlySpan<sbyte> values, params long[] dims) => Initializer(name, DataType.Int8, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A float scalar constant (rank 0), which broadcasts against anything.</summary>
    public string Scalar(string name, float value) => Floats(name, [value]);

    /// <summary>Adds a node; returns its output's name (a fresh one unless given).</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= Fresh(op);
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>A node with several outputs (Split).</summary>
    public string[] Nodes(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var names = Enumerable.Range(0, outputs).Select(_ => Fresh(op)).ToArray();
        var node = new NodeProto { OpType = op, Name = names[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Tensor(string name, TensorProto value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    public string Add(string a, string b) => Node("Add", [a, b]);
    public string Sub(string a, string b) => Node("Sub", [a, b]);
    public string Mul(string a, string b) => Node("Mul", [a, b]);
    public string MatMul(string a, string b) => Node("MatMul", [a, b]);
    public string Transpose(string x, params long[] perm) => Node("Transpose", [x], null, Ints("perm", perm));
    public string Reshape(string x, string shape) => Node("Reshape", [x, shape]);
    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, null, Int("axis", axis));
    public string Softmax(string x) => Node("Softmax", [x], null, Int("axis", -1));
    public string Gather(string data, string indices) => Node("Gather", [data, indices]);

    /// <summary>Dimensions [start, end) of <paramref name="x"/>'s shape, as a 1-D int64 tensor.</summary>
    public string Shape(string x, long start, long end) => Node("Shape", [x], null, Int("start", start), Int("end", end));

    public ModelProto ToModel(string producer, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = producer, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Initializer(string name, DataType type, ReadOnlySpan<byte> bytes, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A name not used before in this graph: stem_0, stem_1, …</summary>
    public string Fresh(string stem)
    {
        stem = stem.ToLowerInvariant();
        var n = _names.GetValueOrDefault(stem);
        _names[stem] = n + 1;
        return $"{stem}_{n}";
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
