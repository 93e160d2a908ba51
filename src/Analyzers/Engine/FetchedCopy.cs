namespace UserAccess.Analyzers.Engine;

/// <summary>What an earlier fetch's copy holds where a later fetch of the same user memory is made.</summary>
internal enum FetchedCopy
{
    /// <summary>The copy still holds the bytes the earlier fetch read, on every path: nothing wrote into it.</summary>
    Kept,

    /// <summary>
    /// The variable that held the copy was given a new array on every path before the later fetch
    /// (<c>kfib = new byte[size];</c>, or the later <c>memdup_user()</c> stored in it): the copy was
    /// intact until then, and nothing wrote into it.
    /// </summary>
    Replaced,

    /// <summary>The copy may have been written, handed to code that may write it, or held on some paths only.</summary>
    Changed,
}
