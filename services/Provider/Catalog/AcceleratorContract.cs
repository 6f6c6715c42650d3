using System.Runtime.CompilerServices;
using Marketplace.Common.V1;
using Marketplace.Provider.V1;
using Marketplace.Reference;
using AcceleratorOrigin = Marketplace.Common.V1.AcceleratorOrigin;

namespace Marketplace.Provider.Catalog;

// The reference accelerator as the contract names it.
static class AcceleratorContract
{
    static readonly ConditionalWeakTable<Accelerator, AcceleratorModel> Built = new();

    // Reference data answers the same on every call: each model's message is built once and only ever
    // serialized, never changed, so calls may share it.
    public static AcceleratorModel Shared(this Accelerator a) => Built.GetValue(a, ToProto);

    public static AcceleratorModel ToProto(this Accelerator a) => new()
    {
        Model = a.Model,
        DisplayName = a.DisplayName,
        Vendor = a.Vendor,
        Origin = a.Origin == Reference.AcceleratorOrigin.Domestic
            ? AcceleratorOrigin.Domestic
            : AcceleratorOrigin.Foreign,
        ExportControl = a.ExportControl switch
        {
            ExportControlClass.Controlled => ExportControl.Controlled,
            ExportControlClass.ChinaEdition => ExportControl.ChinaEdition,
            _ => ExportControl.None,
        },
        Fp16DenseTflops = a.Fp16DenseTflops,
        MemoryGb = a.MemoryGb,
        BoardPowerW = a.BoardPowerW,
        SoftwareStack = a.SoftwareStack,
        EfficiencyFactor = (double)a.EfficiencyFactor,
    };
}
