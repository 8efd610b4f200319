using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Devices;

/// <summary>
/// The catalogue in memory for resolving what people and MDM exports type: a manufacturer by its name or any
/// alias (through <see cref="ManufacturerNames.Key"/>), a model by the TAC of the IMEI, else by marketing name
/// or model number under that manufacturer. The catalogue is small (hundreds of models); it is read once per
/// registration or import, never per row.
/// </summary>
public sealed class DeviceCatalogue
{
    private readonly Dictionary<string, Guid> _manufacturers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Guid Model, Guid Manufacturer)> _tacs = new(StringComparer.Ordinal);
    private readonly Dictionary<(Guid, string), Guid> _models = [];
    // An export names a handful of manufacturers a hundred thousand times: each spelling is brought to its key once.
    private readonly Dictionary<string, Guid?> _spellings = new(StringComparer.Ordinal);
    private readonly Dictionary<(Guid, string), Guid?> _modelSpellings = [];

    public static async Task<DeviceCatalogue> LoadAsync(PortalDbContext db, CancellationToken ct)
    {
        var catalogue = new DeviceCatalogue();
        foreach (var m in await db.Manufacturers.AsNoTracking().Select(m => new { m.Id, m.Name, m.Aliases }).ToListAsync(ct))
            foreach (var name in m.Aliases.Prepend(m.Name))
                catalogue._manufacturers.TryAdd(ManufacturerNames.Key(name), m.Id);
        foreach (var model in await db.DeviceModels.AsNoTracking().Select(m => new { m.Id, m.ManufacturerId, m.MarketingName, m.ModelNumbers, m.Tacs }).ToListAsync(ct))
        {
            foreach (var tac in model.Tacs)
                catalogue._tacs.TryAdd(tac, (model.Id, model.ManufacturerId));
            foreach (var name in model.ModelNumbers.Prepend(model.MarketingName))
                catalogue._models.TryAdd((model.ManufacturerId, ModelKey(name)), model.Id);
        }
        return catalogue;
    }

    public DeviceDescription Describe(string manufacturer, string model, string tac, string? osVersion, string? deviceName = null, string? serialNumber = null)
    {
        var manufacturerId = ManufacturerOf(manufacturer);
        Guid? modelId = null;
        if (_tacs.TryGetValue(tac, out var byTac) && (manufacturerId is null || manufacturerId == byTac.Manufacturer))
            (modelId, manufacturerId) = (byTac.Model, byTac.Manufacturer);
        else if (manufacturerId is { } known)
            modelId = ModelOf(known, model);
        return new DeviceDescription(manufacturer, manufacturerId, model, modelId, osVersion, deviceName, serialNumber);
    }

    private Guid? ModelOf(Guid manufacturer, string model)
    {
        if (!_modelSpellings.TryGetValue((manufacturer, model), out var id))
            _modelSpellings[(manufacturer, model)] = id = _models.TryGetValue((manufacturer, ModelKey(model)), out var m) ? m : null;
        return id;
    }

    /// <summary>Which catalogue manufacturer a name as typed stands for, if any.</summary>
    public Guid? ManufacturerOf(string name)
    {
        if (!_spellings.TryGetValue(name, out var id))
            _spellings[name] = id = _manufacturers.TryGetValue(ManufacturerNames.Key(name), out var m) ? m : null;
        return id;
    }

    internal IEnumerable<(string Tac, Guid Model, Guid Manufacturer)> Tacs => _tacs.Select(t => (t.Key, t.Value.Model, t.Value.Manufacturer));

    internal IEnumerable<(Guid Manufacturer, string Key, Guid Model)> ModelNames => _models.Select(m => (m.Key.Item1, m.Key.Item2, m.Value));

    /// <summary>The model name key; <c>upper(regexp_replace(btrim(model), '\s+', ' ', 'g'))</c> says the same in SQL.</summary>
    private static string ModelKey(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
