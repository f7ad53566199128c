using Microsoft.Extensions.Configuration;

namespace Soar.Pipeline;

public static class ConfigurationSections
{
    /// <summary>
    /// Binds one configuration section to its options class (defaults where absent). A value of the
    /// wrong type fails here, at start-up, with the section named.
    /// </summary>
    public static T BindSection<T>(this IConfiguration configuration, string section) where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"Configuration section '{section}': {e.Message}", e);
        }
    }
}
