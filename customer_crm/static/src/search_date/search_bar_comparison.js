import { patch } from "@web/core/utils/patch";
import { SearchBar } from "@web/search/search_bar/search_bar";

// A date field of a search view searched with a comparison (operator "<" or
// ">", e.g. "Last activity before") reads "Search Last activity before:
// 26.10.2017" in the search box, not "Search Last activity before at: ...".
const COMPARISONS = ["<", "<=", ">", ">="];

patch(SearchBar.prototype, {
    isDateComparison(searchItem) {
        return (
            searchItem.type === "field" &&
            COMPARISONS.includes(searchItem.operator) &&
            ["date", "datetime"].includes(this.getFieldType(searchItem))
        );
    },

    getPreposition(searchItem) {
        return this.isDateComparison(searchItem) ? "" : super.getPreposition(searchItem);
    },

    getItems(searchItem, trimmedQuery) {
        const items = super.getItems(searchItem, trimmedQuery);
        if (this.isDateComparison(searchItem)) {
            for (const item of items) {
                item.isDateComparison = true;
            }
        }
        return items;
    },
});
