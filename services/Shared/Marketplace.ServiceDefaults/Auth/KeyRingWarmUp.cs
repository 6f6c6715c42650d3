using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.ServiceDefaults.Auth;

// AddAuthentication brings ASP.NET Core data protection, whose hosted service loads a key ring at start-up
// (and, with no key store, makes one), loading the XML stack with it: about 9 MB resident for keys that
// bearer tokens never use. Without the warm-up the ring still loads on first use, should anything ask.
public static class KeyRingWarmUp
{
    const string HostedService = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static IServiceCollection WithoutKeyRingWarmUp(this IServiceCollection services)
    {
        foreach (var warmUp in services.Where(d => d.ImplementationType?.FullName == HostedService).ToList())
            services.Remove(warmUp);
        return services;
    }
}
