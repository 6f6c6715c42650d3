namespace Marketplace.Broker.Exchange.Clearing;

// Disjoint sets of products (union-find): products some bid could trade in together end up in one set.
sealed class ProductSets
{
    readonly Dictionary<Product, Product> _parent = [];

    public Product Root(Product product)
    {
        if (!_parent.TryGetValue(product, out var up) || up == product)
            return product;
        // Point the product straight at its root, so the next look-up is one step.
        return _parent[product] = Root(up);
    }

    public void Join(Product a, Product b)
    {
        var (ra, rb) = (Root(a), Root(b));
        if (ra != rb)
            _parent[rb] = ra;
    }
}
