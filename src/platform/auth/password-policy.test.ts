import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../test/support/server';
import { characterClasses, isCommonPassword, passwordProblems } from './password-policy';

const rules = (password: string, username: string | null = 'zhangwei') =>
  passwordProblems(password, username).map((p) => p.rule);

describe('the password policy', () => {
  it('accepts the published demo password and long mixed passwords', () => {
    expect(rules(DEMO_PASSWORD, 'admin')).toEqual([]);
    expect(rules('Huan-cui 海边 2026')).toEqual([]);
    expect(rules('correct horse battery 7')).toEqual([]);
  });

  it('needs at least ten characters, counted as characters not bytes', () => {
    expect(rules('Ab1!Ab1!a')).toEqual(['minLength']);
    expect(rules('Ab1!Ab1!ab')).toEqual([]);
    expect(rules('威海市环翠区Ab1!')).toEqual([]);
  });

  it('needs three of the four classes of characters', () => {
    expect(characterClasses('abcdEFGH12')).toBe(3);
    expect(rules('abcdefghijkl')).toEqual(['classes']);
    expect(rules('abcdefGHIJKL')).toEqual(['classes']);
    expect(rules('abcdefghij12')).toEqual(['classes']);
    expect(rules('abcdefghij1!')).toEqual([]);
  });

  it('refuses a password containing the username, or it reversed, in any case', () => {
    expect(rules('Zhangwei@2026')).toEqual(['username']);
    expect(rules('xx-IEWGNAHZ-99')).toEqual(['username']);
    expect(rules('Zhangwei@2026', null)).toEqual([]);
  });

  it('refuses common passwords, also dressed up with digits and symbols', () => {
    expect(isCommonPassword('Password')).toBe(true);
    expect(rules('Password123!', 'clerk')).toEqual(['common']);
    expect(rules('Admin@20242024', 'clerk')).toEqual(['common']);
    expect(rules('1qaz2wsx', 'clerk')).toEqual(['minLength', 'classes', 'common']);
    expect(rules('P@ssw0rd2026', 'clerk')).toEqual(['common']);
  });

  it('names every rule broken, in Chinese and English', () => {
    const problems = passwordProblems('admin', 'admin');
    expect(problems.map((p) => p.rule)).toEqual(['minLength', 'classes', 'username', 'common']);
    expect(problems[0]!.message).toEqual({
      zh: '密码至少需要 10 个字符',
      en: 'a password needs at least 10 characters',
    });
    expect(problems[1]!.message.zh).toContain('至少三类');
  });
});
