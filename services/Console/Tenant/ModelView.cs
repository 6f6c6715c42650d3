namespace Marketplace.Console.Tenant;

// An accelerator of the catalog for the form: exact models, and each as a class floor ("H100-SXM-class").
public sealed record ModelView(string Model, string DisplayName, string Vendor, bool Domestic);
