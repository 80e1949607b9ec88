namespace Course.Notebooks.Kernel;

/// <summary>The kernel's sockets, named as in the connection file and the messaging docs.</summary>
public enum Channel { Shell, Control, Stdin, IOPub }
