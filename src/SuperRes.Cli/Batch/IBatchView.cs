namespace SuperRes.Cli.Batch;

/// <summary>Shows a batch's progress: a live display on a terminal, plain lines when redirected.</summary>
public interface IBatchView
{
    IBatchItemView Start(string name);
}

public interface IBatchItemView
{
    void Report(double fraction);

    void Finish(BatchItemResult result);
}
