namespace Marketplace.Reference;

public sealed record Accelerator(
    string Model,
    string DisplayName,
    string Vendor,
    AcceleratorOrigin Origin,
    ExportControlClass ExportControl,
    double Fp16DenseTflops,
    int MemoryGb,
    int BoardPowerW,
    string SoftwareStack,
    decimal EfficiencyFactor)
{
    // Effective FP16 TFLOPS the platform expects in practice.
    public double EffectiveTflops => Fp16DenseTflops * (double)EfficiencyFactor;
}

public enum AcceleratorOrigin { Domestic, Foreign }

public enum ExportControlClass { None, ChinaEdition, Controlled }
