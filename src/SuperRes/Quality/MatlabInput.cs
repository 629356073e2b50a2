namespace SuperRes.Quality;

/// <summary>The class of the array MATLAB's imresize is given, which decides where it rounds.</summary>
public enum MatlabInput
{
    /// <summary>uint8, as the protocol's LR files are made: each pass is rounded back to 8 bits.</summary>
    Uint8,

    /// <summary><c>im2double</c> of the image: full precision throughout, rounded once when saved as 8 bits.</summary>
    Double,
}
