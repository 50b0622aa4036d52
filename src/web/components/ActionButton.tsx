import type { ButtonHTMLAttributes } from 'react';

interface Props extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** The short visible word ("Rediger"). */
  label: string;
  /** What it acts on ("Delmål 3"), added for screen readers so a list of buttons is not ten times "Rediger". */
  target: string;
}

export function ActionButton({ label, target, type = 'button', ...button }: Props) {
  return (
    <button type={type} aria-label={`${label}: ${target}`} {...button}>
      {label}
    </button>
  );
}
