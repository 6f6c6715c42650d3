namespace Marketplace.Console.Tests;

// The page's own counters for its billing stream (window.__console.stats).
sealed record StreamStats(int Opened, int Resumed, int Events, int Duplicates, int Rows);
