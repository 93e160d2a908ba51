using System;

namespace UserAccess.Runtime;

/// <summary>
/// A user virtual address: <c>void __user *</c>. It cannot be dereferenced from C#; every access
/// goes through the uaccess functions of <see cref="Kernel"/>.
/// </summary>
public readonly struct UserPtr : IEquatable<UserPtr>
{
    /// <summary>Creates a pointer to <paramref name="address"/>.</summary>
    public UserPtr(ulong address) => Address = address;

    /// <summary>The address, including any arm64 top-byte tag.</summary>
    public ulong Address { get; }

    /// <summary>The NULL user pointer.</summary>
    public static UserPtr Null => default;

    /// <summary>The address with the top byte (the arm64 pointer tag) cleared: <c>untagged_addr()</c>.</summary>
    public UserPtr Untagged => new(Address & 0x00FF_FFFF_FFFF_FFFFUL);

    /// <summary>The arm64 top-byte tag (bits 56..59 carry the MTE logical tag).</summary>
    public byte Tag => (byte)(Address >> 56);

    /// <summary>The same address carrying <paramref name="tag"/> in its top byte.</summary>
    public UserPtr WithTag(byte tag) => new((Address & 0x00FF_FFFF_FFFF_FFFFUL) | ((ulong)tag << 56));

    /// <summary>Whether the address is a multiple of <paramref name="alignment"/> (a power of two).</summary>
    public bool IsAligned(ulong alignment) => (Address & (alignment - 1)) == 0;

    /// <summary>Whether the address is a multiple of <paramref name="alignment"/> (a power of two), given as kernel code passes a size: an <c>int</c> or <c>long</c>.</summary>
    public bool IsAligned(long alignment) => IsAligned(unchecked((ulong)alignment));

    /// <summary>A typed pointer to the same address.</summary>
    public UserPtr<T> Cast<T>() where T : unmanaged => new(Address);

    /// <summary>The pointer <paramref name="bytes"/> bytes further on.</summary>
    public static UserPtr operator +(UserPtr p, long bytes) => new(unchecked(p.Address + (ulong)bytes));

    /// <summary>The pointer <paramref name="bytes"/> bytes back.</summary>
    public static UserPtr operator -(UserPtr p, long bytes) => new(unchecked(p.Address - (ulong)bytes));

    /// <inheritdoc/>
    public bool Equals(UserPtr other) => Address == other.Address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UserPtr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Address.GetHashCode();

    /// <summary>Equality of addresses.</summary>
    public static bool operator ==(UserPtr left, UserPtr right) => left.Equals(right);

    /// <summary>Inequality of addresses.</summary>
    public static bool operator !=(UserPtr left, UserPtr right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"0x{Address:x}";
}

/// <summary>A typed user pointer: <c>T __user *</c>. Converts implicitly to <see cref="UserPtr"/>.</summary>
public readonly struct UserPtr<T> : IEquatable<UserPtr<T>> where T : unmanaged
{
    /// <summary>Creates a pointer to <paramref name="address"/>.</summary>
    public UserPtr(ulong address) => Address = address;

    /// <summary>The address, including any arm64 top-byte tag.</summary>
    public ulong Address { get; }

    /// <summary>The address with the top byte cleared: <c>untagged_addr()</c>.</summary>
    public UserPtr<T> Untagged => new(Address & 0x00FF_FFFF_FFFF_FFFFUL);

    /// <summary>The arm64 top-byte tag.</summary>
    public byte Tag => (byte)(Address >> 56);

    /// <summary>The same address carrying <paramref name="tag"/> in its top byte.</summary>
    public UserPtr<T> WithTag(byte tag) => new((Address & 0x00FF_FFFF_FFFF_FFFFUL) | ((ulong)tag << 56));

    /// <summary>Whether the address is a multiple of <paramref name="alignment"/> (a power of two).</summary>
    public bool IsAligned(ulong alignment) => (Address & (alignment - 1)) == 0;

    /// <summary>Whether the address is a multiple of <paramref name="alignment"/> (a power of two), given as kernel code passes a size: an <c>int</c> or <c>long</c>.</summary>
    public bool IsAligned(long alignment) => IsAligned(unchecked((ulong)alignment));

    /// <summary>A pointer of another type to the same address.</summary>
    public UserPtr<U> Cast<U>() where U : unmanaged => new(Address);

    /// <summary>The untyped pointer.</summary>
    public static implicit operator UserPtr(UserPtr<T> p) => new(p.Address);

    /// <summary>The pointer <paramref name="bytes"/> bytes further on (bytes, not elements).</summary>
    public static UserPtr<T> operator +(UserPtr<T> p, long bytes) => new(unchecked(p.Address + (ulong)bytes));

    /// <summary>The pointer <paramref name="bytes"/> bytes back.</summary>
    public static UserPtr<T> operator -(UserPtr<T> p, long bytes) => new(unchecked(p.Address - (ulong)bytes));

    /// <inheritdoc/>
    public bool Equals(UserPtr<T> other) => Address == other.Address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UserPtr<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Address.GetHashCode();

    /// <summary>Equality of addresses.</summary>
    public static bool operator ==(UserPtr<T> left, UserPtr<T> right) => left.Equals(right);

    /// <summary>Inequality of addresses.</summary>
    public static bool operator !=(UserPtr<T> left, UserPtr<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"0x{Address:x}";
}
