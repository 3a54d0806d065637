/** A segmented control: native radio buttons in a named radio group (arrow keys move the choice). */
export interface FilterGroupProps<V extends string> {
  label: string;
  name: string;
  value: V;
  options: { value: V; label: string }[];
  onChange(value: V): void;
}

export function FilterGroup<V extends string>({ label, name, value, options, onChange }: FilterGroupProps<V>) {
  return (
    <div role="radiogroup" aria-label={label} className="segmented">
      {options.map((o) => (
        <label key={o.value} className="segmented__option">
          <input type="radio" className="segmented__input" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
          <span className="segmented__label">{o.label}</span>
        </label>
      ))}
    </div>
  );
}
