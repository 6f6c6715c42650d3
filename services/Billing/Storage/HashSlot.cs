namespace Marketplace.Billing.Storage;

// Redis Cluster's key slot: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
static class HashSlot
{
    public static int Of(string tag)
    {
        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(tag))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc % 16384;
    }
}
