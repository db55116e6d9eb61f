namespace Recordings.Abstractions;

/// <summary>The silo whose disk held a resumable upload's bytes is gone: the upload is too (the API answers 404).</summary>
[GenerateSerializer]
public sealed class ResumableUploadGoneException : Exception
{
    public ResumableUploadGoneException()
        : base("The server holding this upload is gone; start the upload again.")
    {
    }
}
