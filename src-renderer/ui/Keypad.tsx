/** The 12-key telephone keypad (letters per ITU-T E.161), used for dialling and for DTMF. */
const keys: [string, string][] = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', '+'], ['#', ''],
];

export interface KeypadProps {
  label: string;
  onKey(key: string): void;
  size: 'large' | 'small';
}

export function Keypad({ label, onKey, size }: KeypadProps) {
  return (
    <div role="group" aria-label={label} className={`keypad keypad--${size}`}>
      {keys.map(([key, letters]) => (
        <button key={key} type="button" className="keypad__key" onClick={() => onKey(key)}>
          <span className="keypad__digit">{key}</span>
          <span className="keypad__letters" aria-hidden="true">{letters}</span>
        </button>
      ))}
    </div>
  );
}
