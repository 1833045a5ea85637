import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/problem';
import { FormError, MoneyField, TextField } from './Field';

const problem = new ApiError({
  type: 'about:blank',
  title: 'Invalid input',
  status: 400,
  detail: '2 fields are invalid',
  errors: [
    { field: 'address.city', message: 'must not be empty' },
    { field: 'rent.amount', message: 'at most 2 decimal places' },
    { field: 'splits[1].amount', message: 'parts must sum to the amount' },
  ],
});

describe('fields show the API error they are named for', () => {
  it('puts the message under the input, linked for screen readers', () => {
    render(<TextField label="City" name="address.city" error={problem} defaultValue="" />);
    const input = screen.getByLabelText('City');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    const msg = screen.getByText('must not be empty');
    expect(input.getAttribute('aria-describedby')).toContain(msg.id);
  });

  it('leaves other inputs alone', () => {
    render(<TextField label="Name" name="name" error={problem} defaultValue="" />);
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });

  it('matches nested paths for a money input', () => {
    render(<MoneyField label="Rent" name="rent" currency="USD" value="1.234" onChange={() => {}} error={problem} />);
    expect(screen.getByText('at most 2 decimal places')).toBeInTheDocument();
  });

  it('a client-side message wins before the API is asked', () => {
    render(<TextField label="Email" name="email" invalid="Enter an email address" defaultValue="" />);
    expect(screen.getByRole('alert')).toHaveTextContent('Enter an email address');
  });

  it('a problem without field errors shows its detail', () => {
    render(<FormError error={new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'unit 101 already has an active lease' })} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Conflict. unit 101 already has an active lease');
  });

  it('the summary lists only the field errors no input shows', () => {
    render(<FormError error={problem} shown={['address', 'rent']} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Invalid input. Check the fields marked below.');
    expect(alert).not.toHaveTextContent('2 fields are invalid');
    expect(alert).toHaveTextContent('splits[1].amount: parts must sum to the amount');
    expect(alert).not.toHaveTextContent('must not be empty');
  });
});
