using Google.Protobuf.Reflection;
using Marketplace.Billing.V1;
using Marketplace.Broker.V1;
using Marketplace.Provider.V1;

namespace Marketplace.Integration.Tests.Auth;

// Every RPC of the contract, each known as a read or a write. The names on the contract come from the
// generated descriptors, so an RPC added to a .proto fails Each_role_within_its_rights until it is put
// in one list here (and, when it writes, given the callers that must be refused it).
static class ContractRpcs
{
    public static readonly IReadOnlySet<string> Writes = new HashSet<string>
    {
        "ProviderService/RegisterDataCenter", "ProviderService/UpdateDataCenter",
        "ProviderService/PublishOffer", "ProviderService/ChangeOffer", "ProviderService/WithdrawOffer",
        "ProviderService/HoldCapacity", "ProviderService/ConfirmHold", "ProviderService/ReleaseHold",
        "ProviderService/ReportOutage", "ProviderService/EndOutage",
        "BrokerService/RequestQuote", "BrokerService/AcceptQuote", "BrokerService/CancelLease",
        "BillingService/CreateVoucherProgram", "BillingService/GrantVoucher", "BillingService/CloseBillingPeriod",
    };

    public static readonly IReadOnlySet<string> Reads = new HashSet<string>
    {
        "ProviderService/GetDataCenter", "ProviderService/ListDataCenters",
        "ProviderService/GetAccelerator", "ProviderService/ListAccelerators",
        "ProviderService/GetOffer", "ProviderService/GetCapacity", "ProviderService/GetCatalogSnapshot",
        "ProviderService/GetHold", "ProviderService/ListOutages",
        "BrokerService/GetQuote", "BrokerService/GetLease", "BrokerService/ListLeases", "BrokerService/ListLeaseMoves",
        "BillingService/GetBalance", "BillingService/ListLedgerEntries",
        "BillingService/GetVoucherProgram", "BillingService/ListVoucherPrograms", "BillingService/GetVoucher",
        "BillingService/GetVoucherReconciliation", "BillingService/GetInvoice", "BillingService/ListInvoices",
        "BillingService/GetProviderStatement", "BillingService/WatchBillingEvents",
    };

    public static IReadOnlyList<string> OnTheContract() =>
        new[] { ProviderService.Descriptor, BrokerService.Descriptor, BillingService.Descriptor }
            .SelectMany(service => service.Methods)
            .Select(NameOf)
            .ToList();

    public static string NameOf(MethodDescriptor method) => $"{method.Service.Name}/{method.Name}";
}
